import { describe, expectTypeOf, it } from 'vitest';
import {
  type ChooseAlphabetOptions,
  type ConcatenationInfo,
  chooseAlphabet,
  type DecodeTextOptions,
  type DefaultAlphabet,
  parseSmppTime,
  type ReferenceBits,
  type RequestReply,
  type SmppEncodingPolicy,
  type SmppSession,
  type SmppTime,
} from './index.js';

// The types the public API refers to can be named by its users (a channel building a policy from options…).
describe('public types', () => {
  it('names the types of public members', () => {
    expectTypeOf<SmppEncodingPolicy['defaultAlphabet']>().toEqualTypeOf<DefaultAlphabet | undefined>();
    expectTypeOf<DecodeTextOptions['defaultAlphabet']>().toEqualTypeOf<DefaultAlphabet | undefined>();
    expectTypeOf(chooseAlphabet).parameter(1).toEqualTypeOf<ChooseAlphabetOptions | undefined>();
    expectTypeOf<ConcatenationInfo['referenceBits']>().toEqualTypeOf<ReferenceBits>();
    expectTypeOf<Parameters<SmppSession['trySend']>[3]>().toEqualTypeOf<RequestReply>();
    expectTypeOf(parseSmppTime).returns.toEqualTypeOf<SmppTime | undefined>();
  });
});

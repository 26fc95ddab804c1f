export {
  FakeChannel,
  FakeChannelControl,
  type FakeChannelOptions,
  type FakeChannelPlugin,
  FakeOutcome,
  type FakeScript,
  type FakeSend,
  fakeChannel,
} from './fake-channel.js';
export { ManualClock } from './manual-clock.js';
export { resolveChannel } from './resolve-channel.js';

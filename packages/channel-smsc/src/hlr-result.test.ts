import { describe, expect, it } from 'vitest';
import { formatHlrFields, parseHlrResult, urlDecode } from './hlr-result.js';

describe('HLR results', () => {
  it("parses the page's example, url-decoding country and operator names", () => {
    const text =
      'id:855469 stat:DELIVRD err:000 imsi:250023012345678 msc:79232510066 mcc:250 mnc:02 cn:Russian+Federation net:MegaFON+open+Joint+Stock+Company rcn: rnet:';
    expect(parseHlrResult(text)).toEqual({
      imsi: '250023012345678',
      msc: '79232510066',
      mcc: '250',
      mnc: '02',
      country: 'Russian Federation',
      operator: 'MegaFON open Joint Stock Company',
      roamingCountry: '',
      roamingOperator: '',
    });
  });

  it('decodes %-escapes (UTF-8) and keeps a broken escape as written', () => {
    expect(
      parseHlrResult(
        'id:1 stat:DELIVRD err:000 imsi:1 msc: mcc: mnc: cn:C%C3%B4te+d%27Ivoire net:A%26B rcn:Kazakhstan rnet:Beeline',
      ),
    ).toMatchObject({
      country: "Côte d'Ivoire",
      operator: 'A&B',
      roamingCountry: 'Kazakhstan',
      roamingOperator: 'Beeline',
    });
    expect(urlDecode('100%+sure%zz')).toBe('100% sure%zz');
  });

  it('is undefined for an ordinary receipt (no imsi:)', () => {
    expect(
      parseHlrResult('id:854019 sub:001 dlvrd:001 submit date:1108202241 done date:1108202241 stat:DELIVRD err:000'),
    ).toBeUndefined();
  });

  it('writes what it reads', () => {
    const result = {
      imsi: '1',
      msc: '2',
      mcc: '401',
      mnc: '01',
      country: "Côte d'Ivoire",
      operator: 'Kcell & Co',
      roamingCountry: 'Kazakhstan',
      roamingOperator: '',
    };
    const text = Object.entries(formatHlrFields(result))
      .map(([label, value]) => `${label}:${value}`)
      .join(' ');
    expect(parseHlrResult(`id:1 stat:DELIVRD err:000 ${text}`)).toEqual(result);
  });
});

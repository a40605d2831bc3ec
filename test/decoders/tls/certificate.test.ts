// Certificates and distinguished names: real certificates from the corpus, crafted names, garbage.
import { expect } from 'chai';
import { summarizeCertificate } from '../../../decoders/tls/certificate.js';
import { decodeDistinguishedName } from '../../../decoders/tls/dn.js';
import { cat, cnName, hex } from './build.js';

// client-certificate.pcap, frame 11: the server's Let's Encrypt certificate (first of three).
// Checked against `openssl x509 -inform der -noout -subject -issuer -serial -dates -fingerprint -sha256`.
const LETS_ENCRYPT_LEAF = hex('308205273082040fa0030201020212045a905e1ea86942ac3857b481d6de9a85cb300d06092a864886f70d01010b05003032310b300906035504061302555331163014060355040a130d4c6574277320456e6372797074310b3009060355040313025233301e170d3233303130343136313430375a170d3233303430343136313430365a301c311a30180603550403131163657274617574682e69647269782e667230820122300d06092a864886f70d01010105000382010f003082010a0282010100af798ff0997a083381b29bdaa4fc0f856e45f083619a82fc19ac5d3ff28815f2aa86b317a01cc07b1a36edfa4013d84440e0bc638df654948ed69f2ef4dd0501b0ec6e480b00bf2ecba7e4a91d99b58dc603846716864d7580cd82507a9b1bd9cc9dcbbc29e13efdb267dbf1f964dc05f1c4560c556ed5acfd442aafe16db797d2fab8a51e48300c6a11cad9fb8dc5515857d5bdbe926939ab54a83250ab0598bbc473f824e73a21477a3d59ebbe394db913d934ab982b06e2c12adf3790f8dc131f709656fb51ed7166ceccb6dee1b1394d87cd9bbdbd138fa708d24c7eb6cea19804a2c09789c48f64ad4d020c03bf411146ce34f4155538025fa8da379e650203010001a382024b30820247300e0603551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507030106082b06010505070302300c0603551d130101ff04023000301d0603551d0e0416041460b96fa9d20b5b19a83b6d3c92b8ebb36c94f1f8301f0603551d23041830168014142eb317b75856cbae500940e61faf9d8b14c2c6305506082b0601050507010104493047302106082b060105050730018615687474703a2f2f72332e6f2e6c656e63722e6f7267302206082b060105050730028616687474703a2f2f72332e692e6c656e63722e6f72672f301c0603551d1104153013821163657274617574682e69647269782e6672304c0603551d20044530433008060667810c0102013037060b2b0601040182df130101013028302606082b06010505070201161a687474703a2f2f6370732e6c657473656e63727970742e6f726730820103060a2b06010401d6790204020481f40481f100ef0075007a328c54d8b72db620ea38e0521ee98416703213854d3bd22bc13a57a352eb52000001857dc6a38100000403004630440220331ab6f76d34797a0eda2efe846d58b168cea3f187499add98e47f291d3b4ac60220138a7c1ab0b8c2ad675c08c1c678a455f908d61f0ccad62e24c5a9ffc3f77760007600b73efb24df9c4dba75f239c5ba58f46c5dfc42cf7a9f35c49e1d098125edb499000001857dc6a5650000040300473045022100b033f36299d5a12be955d39e486917625872529e9efa8dd89d1c2c4b84fd3aea0220046b235d14a773ffbec966b4c9408f13241c10f3fcd162f7cd41846af4e27310300d06092a864886f70d01010b05000382010100af5877b8a94943f710e8e6b26080e5cc15ac9ccb20f67cca0cdd0b2413937cf7b7066ba9eb94137fc480986418567403ef37f92d613c7d078b5be57cb569c04d66235a359fefc2b6d94ca8e6e7d31b8919abf509699786035a0f505131274ecab82c6b4b827a4819c608ea3770cdb46efacd89eecdfaac129de9b967300da56e5ac1c98e9f4de3f456d32f49d9ab8b91d504c2683b058109faf44844a07adf7f709edb108199e914c7b154494df70ea05570a32e4a940f8f689a1220038b53a7de741c38554240d2d1b963cfcb1bcb14611bcd70f294a4c7ce5ac33bfa76906459307ea4622df12a7c6f730415d828c203d1bdfa549705fa74856ab83a31e220');

// x509-generalizedtime.pcap, frame 6: a self-signed certificate whose validity uses GeneralizedTime.
const GENERALIZED_TIME = hex('308201f030820159020203e8300d06092a864886f70d0101050500303e310b3009060355040613024e4c310c300a060355040a0c0342726f3121301f06035504030c1862726f2d67656e6572616c697a656474696d652d746573743022180f32303135303930313133333333375a180f32303235303930313133333333375a303e310b3009060355040613024e4c310c300a060355040a0c0342726f3121301f06035504030c1862726f2d67656e6572616c697a656474696d652d7465737430819f300d06092a864886f70d010101050003818d0030818902818100e0904338ffe01c427e9504029a0bd31df51060d6be462dd9896aa44c84e958564d5217de261df5fdb48578172945f1ecc089ec70d0ec432078e8ab26a32db9d2a2a4e2445050f69e518e631f29f1a5fdb3b321e1c3564cec24b94f91b6bbc86c9b6186bdf66ec03571584e6c4f736fceb7000bbdec6775dcb12b877001dcb9d10203010001300d06092a864886f70d010105050003818100dfeceed6e8b2b3b42f4a6f0683564e82dc54e662dac29de45e68f3a66cef1bbc1a5f59ca0c96ac695069b89648e3f781c15ff9435901a580599427f92856ac8442fd837b1102a9c4655265843563ee5c3e5996a450ec6f3eaebdd2d2e9a7b46d1d2a287cdeee390907cc27d983a89a7930c3c9d0e4ef703a3879f59ac0376f1f');

describe('certificates', () => {
  it('summarises a CA-issued server certificate', () => {
    const c = summarizeCertificate(LETS_ENCRYPT_LEAF);
    expect(c).to.deep.equal({
      subject: 'CN=certauth.idrix.fr',
      issuer: "CN=R3,O=Let's Encrypt,C=US",
      serialNumber: '045A905E1EA86942AC3857B481D6DE9A85CB',
      validFrom: '2023-01-04T16:14:07.000Z',
      validTo: '2023-04-04T16:14:06.000Z',
      subjectAltNames: ['DNS:certauth.idrix.fr'],
      keyType: 'rsa',
      keyBits: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      fingerprintSha256: '49:83:A8:A1:6D:7E:39:54:EC:EF:FD:A1:0E:1A:19:83:88:B3:34:F7:1B:A3:11:AC:D9:9F:89:98:47:39:29:7E',
      selfSigned: false,
      isCA: false,
      length: 1323,
    });
  });

  it('summarises a self-signed certificate with GeneralizedTime validity', () => {
    const c = summarizeCertificate(GENERALIZED_TIME);
    expect(c.subject).to.equal('CN=bro-generalizedtime-test,O=Bro,C=NL');
    expect(c.validFrom).to.equal('2015-09-01T13:33:37.000Z');
    expect(c.validTo).to.equal('2025-09-01T13:33:37.000Z');
    expect(c.selfSigned).to.equal(true);
    expect(c.signatureAlgorithm).to.equal('sha1WithRSAEncryption');
    expect(c.keyBits).to.equal(1024);
    expect(c.error).to.equal(undefined);
  });

  it('never throws on garbage: the summary carries an error', () => {
    for (const bad of [new Uint8Array(0), hex('30'), hex('3082ffff00'), hex('0403010203'), LETS_ENCRYPT_LEAF.subarray(0, 600), cat(GENERALIZED_TIME, [0])]) {
      const c = summarizeCertificate(bad);
      expect(c.error, `${bad.length} bytes`).to.be.a('string');
      expect(c.length).to.equal(bad.length);
      expect(c.subject).to.equal('');
    }
  });

  it('a flipped byte inside the signature still parses; the self-signature no longer verifies', () => {
    const copy = GENERALIZED_TIME.slice();
    copy[copy.length - 5] ^= 0xff;
    const c = summarizeCertificate(copy);
    expect(c.error).to.equal(undefined);
    expect(c.selfSigned).to.equal(false);
  });
});

describe('distinguished names', () => {
  const atv = (oid: number[], tag: number, value: Uint8Array): Uint8Array => {
    const body = cat([0x06, oid.length], oid, [tag, value.length], value);
    return cat([0x30, body.length], body);
  };
  const rdn = (...atvs: Uint8Array[]): Uint8Array => { const b = cat(...atvs); return cat([0x31, b.length], b); };
  const name = (...rdns: Uint8Array[]): Uint8Array => { const b = cat(...rdns); return cat([0x30, b.length], b); };
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const CN = [0x55, 0x04, 0x03];
  const O = [0x55, 0x04, 0x0a];
  const C = [0x55, 0x04, 0x06];

  it('prints RFC 4514 order: the last RDN first', () => {
    const dn = name(rdn(atv(C, 0x13, text('US'))), rdn(atv(O, 0x0c, text('Example'))), rdn(atv(CN, 0x0c, text('Example CA'))));
    expect(decodeDistinguishedName(dn)).to.deep.equal({ text: 'CN=Example CA,O=Example,C=US', length: dn.length });
  });

  it('escapes special characters and joins multi-valued RDNs with +', () => {
    const dn = name(rdn(atv(CN, 0x0c, text('a,b+c')), atv(O, 0x0c, text(' lead'))));
    expect(decodeDistinguishedName(dn).text).to.equal('CN=a\\,b\\+c+O=\\ lead');
  });

  it('decodes BMPString values and prints unknown attribute types as OID=#hex', () => {
    const dn = name(rdn(atv(CN, 0x1e, hex('00 41 00 e9'))), rdn(atv([0x2a, 0x03], 0x0c, text('x'))));
    expect(decodeDistinguishedName(dn).text).to.equal('1.2.3=#0c0178,CN=Aé');
  });

  it('falls back to hex for bytes that are not a Name', () => {
    expect(decodeDistinguishedName(hex('0102ff')).text).to.equal('0102ff');
    expect(decodeDistinguishedName(cnName('ok').subarray(0, 5)).text).to.equal('300d310b30');
  });
});

// The record layer: sniffing where TLS starts, reading the 5-byte header, record-level checks.
import { expect } from 'chai';
import { checkRecordHeader, MAX_RECORD_LENGTH, parseRecordHeader, RECORD_HEADER_LENGTH, sniffTls } from '../../../decoders/tls/record.js';
import { hex } from './build.js';

describe('TLS record layer', () => {
  describe('sniffTls', () => {
    it('recognises a TLS handshake record header', () => {
      const b = hex('16 03 01 02 00 01');
      expect(sniffTls(b, 0, b.length)).to.equal('tls');
    });
    it('asks for more bytes while a prefix is still consistent with TLS', () => {
      const b = hex('16 03 01 02 00');
      for (let n = 0; n < 5; n++) expect(sniffTls(b, 0, n), `length ${n}`).to.equal('need-more');
      expect(sniffTls(b, 0, 5)).to.equal('tls');
    });
    it('rejects plain text, DTLS versions, empty and oversized records', () => {
      const cases = ['32 32 30 20 46 54 50', '16 fe ff 00 10', '16 03 05 00 10', '16 03 03 00 00', '17 03 03 48 01'];
      for (const c of cases) expect(sniffTls(hex(c), 0, hex(c).length), c).to.equal('no');
    });
    it('honours the offset and length it is given', () => {
      const b = hex('41 41 16 03 03 00 20 41');
      expect(sniffTls(b, 2, 5)).to.equal('tls');
      expect(sniffTls(b, 2, 3)).to.equal('need-more');
      expect(sniffTls(b, 0, 8)).to.equal('no');
    });
    it('recognises an SSLv2 CLIENT-HELLO (ssl-v2.pcap frame 4) and an SSLv2-compatible TLS hello (ssl.v3.pcap frame 4)', () => {
      const v2 = hex('802e0100020015000000100700c00500800300800100800600400400800200801c30e2b12f4c04525476f280c07abee5');
      expect(sniffTls(v2, 0, v2.length)).to.equal('sslv2');
      expect(sniffTls(v2, 0, 6)).to.equal('need-more');
      const compat = hex('8055010301003c0000001000003900003800003500003300003200000400000500002f00001600001300feff00000a00001500001200fefe000009000064000062000003000006e6b8efdf91cf44f7eae43c83398fdcb2');
      expect(sniffTls(compat, 0, compat.length)).to.equal('sslv2');
    });
    it('accepts an SSLv2 SERVER-HELLO or ERROR only from the server side', () => {
      const serverHello = hex('83b4 04 00 01 0002 0387 0012 0010');
      expect(sniffTls(serverHello, 0, serverHello.length, true)).to.equal('sslv2');
      expect(sniffTls(serverHello, 0, serverHello.length, false)).to.equal('no');
      const error = hex('8003 00 0001');
      expect(sniffTls(error, 0, error.length, true)).to.equal('sslv2');
    });
  });

  describe('parseRecordHeader', () => {
    it('reads type, version and length', () => {
      expect(RECORD_HEADER_LENGTH).to.equal(5);
      expect(parseRecordHeader(hex('00 15 03 01 00 02'), 1)).to.deep.equal({ contentType: 21, version: 0x0301, length: 2 });
    });
    it('answers null with fewer than 5 bytes', () => {
      expect(parseRecordHeader(hex('16 03 01 00'), 0)).to.equal(null);
      expect(parseRecordHeader(hex('16 03 01 00 05'), 1)).to.equal(null);
    });
  });

  describe('checkRecordHeader', () => {
    it('finds nothing wrong with ordinary records', () => {
      expect(checkRecordHeader({ contentType: 22, version: 0x0301, length: 512 })).to.deep.equal([]);
      expect(checkRecordHeader({ contentType: 23, version: 0x0303, length: 0 })).to.deep.equal([]);
      expect(checkRecordHeader({ contentType: 23, version: 0x0303, length: MAX_RECORD_LENGTH })).to.deep.equal([]);
    });
    it('reports an unknown content type', () => {
      const p = checkRecordHeader({ contentType: 99, version: 0x0303, length: 10 });
      expect(p.map((x) => x.code)).to.deep.equal(['unknown-content-type']);
    });
    it('reports a length beyond 2^14 + 2048 (RFC 5246 §6.2.3)', () => {
      const p = checkRecordHeader({ contentType: 23, version: 0x0303, length: MAX_RECORD_LENGTH + 1 });
      expect(p.map((x) => [x.code, x.rule])).to.deep.equal([['bad-record-length', 'RFC 5246 §6.2.3']]);
    });
    it('reports zero-length handshake, alert and CCS fragments (RFC 5246 §6.2.1)', () => {
      for (const ct of [20, 21, 22]) {
        expect(checkRecordHeader({ contentType: ct, version: 0x0303, length: 0 }).map((x) => x.code)).to.deep.equal(['bad-record-length']);
      }
    });
    it('reports versions that are not {3,x}, and warns about 0x0304 in a record', () => {
      expect(checkRecordHeader({ contentType: 22, version: 0xffff, length: 1 }).map((x) => x.code)).to.deep.equal(['bad-record-version']);
      const p = checkRecordHeader({ contentType: 22, version: 0x0304, length: 1 });
      expect(p.map((x) => [x.severity, x.rule])).to.deep.equal([['warning', 'RFC 8446 §5.1']]);
    });
  });
});

/**
 * Conformance with tshark 4.0.17 on the Zeek corpus: the same frame count, every tcp.stream with the
 * same endpoints, and every handshake message, alert and change_cipher_spec tshark decodes present in
 * tlsdiag's transcript with the same frame, stream and direction.
 *
 * Where tlsdiag and tshark disagree and tlsdiag is right, the case is listed in KNOWN_DIFFERENCES
 * with the reason; anything else is a failure.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeFile, type CaptureResult } from '../../src/analyze.js';
import { endpointText } from '../../src/report/document.js';
import { CORPUS, GOLDEN } from '../support/paths.js';

interface GoldenRecord {
  ct?: number;
  ver: string;
  hs?: (number | 'enc')[];
  alert?: [number, number] | 'enc';
  v2?: boolean;
}
interface GoldenFrame {
  frame: number;
  stream: number;
  src: string;
  dst: string;
  records: GoldenRecord[];
}
interface Golden {
  file: string;
  packets: number;
  tls: GoldenFrame[];
}

/**
 * Where tshark 4.0.17 and tlsdiag disagree and tlsdiag is right: the frames whose golden records are
 * not required, why, and what tlsdiag must show instead (checked, so the exception cannot hide a bug).
 */
export const KNOWN_DIFFERENCES: Record<string, { frames: number[]; why: string; instead: (r: CaptureResult) => void }> = {
  'tls-fragmented-handshake.pcap.gz': {
    frames: [25, 43, 65, 84, 102, 123, 142, 159, 182, 202, 219, 241, 258, 278, 300, 318, 336, 355, 374, 394, 410],
    why:
      'The server splits its Certificate over 21 handshake records. tshark 4.0.17 labels each fragment ' +
      '"Encrypted Handshake Message"; the fragments are plaintext, and reassembled they are the Certificate ' +
      '(CN=Bro), completed in frame 410, followed by ServerKeyExchange and ServerHelloDone in frame 411.',
    instead: (r) => {
      const ev = r.connections[0].transcript.events;
      const cert = ev.find((e) => e.type === 'handshake' && e.message === 'Certificate');
      expect(cert?.frame).to.equal(410);
      expect(cert?.type === 'handshake' && cert.body?.kind === 'Certificate' ? cert.body.certificates[0].subject : '').to.contain('CN=Bro');
      expect(ev.some((e) => e.type === 'handshake' && e.message === 'encrypted' && e.from === 'server')).to.equal(false);
    },
  },
  'tls1.2-protocol-violation.pcap': {
    frames: [8],
    why:
      'The server\'s Certificate message says 256 bytes but its certificate_list claims 3820 (the capture is a ' +
      'deliberate protocol violation). tshark truncates the vector and calls the rest of the record an ' +
      '"Encrypted Handshake Message"; it is not encrypted (no ChangeCipherSpec has been sent). tlsdiag ' +
      'decodes the Certificate and reports the overrun and the bogus follow-on message as located problems.',
    instead: (r) => {
      const c = r.connections[0];
      const cert = c.transcript.events.find((e) => e.type === 'handshake' && e.message === 'Certificate');
      expect(cert?.frame).to.equal(8);
      expect((cert?.problems ?? []).map((p) => p.code)).to.include('length-overrun');
      expect(c.transcript.problems.some((p) => p.frame === 8 && p.severity === 'error')).to.equal(true);
    },
  },
};

const files = readdirSync(CORPUS).filter((f) => /\.pcap(\.gz)?$/.test(f)).sort();

/** Golden endpoints are "ip:port" even for IPv6; ours bracket IPv6. Compare on the same form. */
function bare(endpoint: string): string {
  const m = /^\[(.*)\]:(\d+)$/.exec(endpoint);
  return m ? `${m[1]}:${m[2]}` : endpoint;
}

describe('conformance with tshark on the Zeek corpus', function () {
  this.timeout(120000);
  const results = new Map<string, CaptureResult>();

  before(async () => {
    for (const f of files) results.set(f, await analyzeFile(path.join(CORPUS, f), {}, f));
  });

  it('has the corpus and a golden file for every capture', () => {
    expect(files.length).to.be.greaterThan(70);
    for (const f of files) expect(readFileSync(path.join(GOLDEN, `${f}.json`), 'utf8').length).to.be.greaterThan(10);
  });

  for (const f of files) {
    describe(f, () => {
      const golden = (): Golden => JSON.parse(readFileSync(path.join(GOLDEN, `${f}.json`), 'utf8')) as Golden;

      it('reads every frame', () => {
        const r = results.get(f)!;
        expect(r.error, r.error?.message).to.equal(null);
        expect(r.info!.packets).to.equal(golden().packets);
      });

      it('numbers TCP conversations as tcp.stream, with the same endpoints', () => {
        const r = results.get(f)!;
        const byStream = new Map(r.connections.map((c) => [c.conversation.stream, c.conversation]));
        for (const g of golden().tls) {
          const conv = byStream.get(g.stream);
          expect(conv, `stream ${g.stream} (frame ${g.frame})`).to.not.equal(undefined);
          const ours = [bare(endpointText(conv!.client.ip, conv!.client.port)), bare(endpointText(conv!.server.ip, conv!.server.port))].sort();
          expect(ours, `endpoints of stream ${g.stream}`).to.deep.equal([g.src, g.dst].sort());
        }
      });

      it('has every handshake message, alert and change_cipher_spec tshark decodes, in the same frame and direction', () => {
        const r = results.get(f)!;
        const known = KNOWN_DIFFERENCES[f]?.frames ?? [];
        const byStream = new Map(r.connections.map((c) => [c.conversation.stream, c]));
        const missing: string[] = [];
        for (const g of golden().tls) {
          if (known.includes(g.frame)) continue;
          const c = byStream.get(g.stream);
          if (!c) {
            missing.push(`frame ${g.frame}: no stream ${g.stream}`);
            continue;
          }
          const from = bare(endpointText(c.conversation.client.ip, c.conversation.client.port)) === g.src ? 'client' : 'server';
          const here = c.transcript.events.filter((e) => e.frame === g.frame && e.from === from);
          // Count what tshark expects in this frame, and what we have.
          const want = { hs: new Map<string, number>(), ccs: 0, alerts: [] as string[] };
          for (const rec of g.records) {
            if (rec.v2) {
              for (const h of rec.hs ?? []) want.hs.set(`v2:${h}`, (want.hs.get(`v2:${h}`) ?? 0) + 1);
            } else if (rec.ct === 22) {
              for (const h of rec.hs ?? []) want.hs.set(String(h), (want.hs.get(String(h)) ?? 0) + 1);
            } else if (rec.ct === 20) {
              want.ccs++;
            } else if (rec.ct === 21 && rec.alert !== undefined) {
              want.alerts.push(rec.alert === 'enc' ? 'enc' : `${rec.alert[0]}/${rec.alert[1]}`);
            }
          }
          const have = new Map<string, number>();
          let ccs = 0;
          const alerts: string[] = [];
          for (const e of here) {
            if (e.type === 'handshake') {
              const k = e.message === 'encrypted' ? 'enc' : String(e.handshakeType);
              have.set(k, (have.get(k) ?? 0) + 1);
            } else if (e.type === 'sslv2' && e.handshakeType !== undefined) {
              have.set(`v2:${e.handshakeType}`, (have.get(`v2:${e.handshakeType}`) ?? 0) + 1);
            } else if (e.type === 'change_cipher_spec') ccs++;
            else if (e.type === 'alert') alerts.push(e.encrypted ? 'enc' : `${e.level === 'fatal' ? 2 : e.level === 'warning' ? 1 : '?'}/${e.code}`);
          }
          for (const [k, n] of want.hs) {
            if ((have.get(k) ?? 0) < n) missing.push(`frame ${g.frame} (${from}): handshake ${k} ×${n}, have ×${have.get(k) ?? 0}`);
          }
          if (ccs < want.ccs) missing.push(`frame ${g.frame} (${from}): change_cipher_spec ×${want.ccs}, have ×${ccs}`);
          for (const a of want.alerts) {
            const i = alerts.indexOf(a);
            if (i < 0) missing.push(`frame ${g.frame} (${from}): alert ${a}, have [${alerts.join(', ')}]`);
            else alerts.splice(i, 1);
          }
        }
        expect(missing, missing.join('\n')).to.deep.equal([]);
      });

      if (KNOWN_DIFFERENCES[f]) {
        it(`where it differs from tshark, shows what is really there (${KNOWN_DIFFERENCES[f].why.slice(0, 60)}…)`, () => {
          KNOWN_DIFFERENCES[f].instead(results.get(f)!);
        });
      }
    });
  }
});

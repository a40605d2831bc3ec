// Decryption with NSS key logs against tshark given the same key logs (test/golden/decrypt/tshark.json,
// recorded once by scripts/record/decrypt-golden.sh from samples/keys/ and samples/decrypt/).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeFile, type CaptureResult } from '../../src/analyze.js';
import { KeyLog } from '../../src/tls-keys/keylog.js';
import type { TranscriptEvent } from '../../src/session/transcript.js';
import { ROOT } from '../support/paths.js';

interface TsharkFrame {
  frame: number;
  stream: number;
  handshakeTypes: string;
  alerts: string;
  contentTypes: string;
  firstWords: string;
}
const golden = JSON.parse(readFileSync(path.join(ROOT, 'test', 'golden', 'decrypt', 'tshark.json'), 'utf8')) as {
  captures: Record<string, { keys: string; frames: TsharkFrame[] }>;
};

export function keyLogOf(...files: string[]): KeyLog {
  const log = new KeyLog();
  for (const f of files) log.addText(readFileSync(path.join(ROOT, f), 'latin1'), f);
  return log;
}

const list = (s: string): number[] => (s === '' ? [] : s.split(',').map(Number));

describe('decryption with key logs, against tshark with the same key logs', () => {
  for (const [file, { keys, frames }] of Object.entries(golden.captures)) {
    describe(file, () => {
      let result: CaptureResult;
      // Let the capture go once its tests are done: later tests measure heap growth.
      after(() => {
        result = undefined as unknown as CaptureResult;
      });
      const events = (frame: number): TranscriptEvent[] => result.connections.flatMap((c) => c.transcript.events.filter((e) => e.frame === frame));
      before(async () => {
        result = await analyzeFile(path.join(ROOT, file), { keyLog: keyLogOf(keys) });
      });

      it('decrypts every record: no failure, and a key for every connection', () => {
        for (const c of result.connections) expect(c.transcript.problems.filter((p) => p.code === 'decryption-failed'), `stream ${c.conversation.stream}`).to.deep.equal([]);
        expect(result.problems.filter((p) => p.code === 'no-key')).to.deep.equal([]);
      });

      it('shows the handshake messages tshark shows, frame by frame, in order', () => {
        for (const f of frames.filter((x) => x.contentTypes !== '')) {
          const ours = events(f.frame).flatMap((e) => (e.type === 'handshake' && e.handshakeType !== undefined ? [e.handshakeType] : []));
          expect(ours, `frame ${f.frame}`).to.deep.equal(list(f.handshakeTypes));
          expect(events(f.frame).some((e) => e.type === 'handshake' && e.message === 'encrypted'), `frame ${f.frame} left encrypted`).to.equal(false);
        }
      });

      it('shows the alerts tshark shows, with their codes', () => {
        for (const f of frames.filter((x) => x.contentTypes !== '')) {
          const ours = events(f.frame).flatMap((e) => (e.type === 'alert' && !e.encrypted ? [e.code!] : []));
          expect(ours, `frame ${f.frame}`).to.deep.equal(list(f.alerts));
          expect(events(f.frame).some((e) => e.type === 'alert' && e.encrypted), `frame ${f.frame} alert left encrypted`).to.equal(false);
        }
      });

      it('marks what it decrypted, and nothing it read in the clear', () => {
        // TLS ≤ 1.2: a side's records are encrypted after its first ChangeCipherSpec (a renegotiation's
        // hellos too). TLS 1.3: every handshake message after the hellos.
        for (const c of result.connections) {
          const tls13 = c.transcript.tls?.negotiatedVersion === 0x0304;
          const ccs = { client: false, server: false };
          for (const e of c.transcript.events) {
            if (e.type === 'change_cipher_spec' && !tls13) ccs[e.from] = true;
            if (e.type !== 'handshake' && e.type !== 'alert') continue;
            if (e.type === 'handshake' && e.message === 'encrypted') continue;
            // A TLS 1.3 alert may be in the clear (a client refusing the server's certificate has no keys yet): the golden says which.
            if (tls13 && e.type === 'alert') continue;
            const hello = e.type === 'handshake' && ['ClientHello', 'ServerHello', 'HelloRetryRequest'].includes(e.message);
            const expected = tls13 ? !hello : ccs[e.from];
            expect(e.decrypted === true, `stream ${c.conversation.stream} frame ${e.frame} ${e.type === 'handshake' ? e.message : e.description}`).to.equal(expected);
          }
        }
      });

      it('reads the line protocol where tshark reads decrypted text, and only there', () => {
        for (const f of frames.filter((x) => x.firstWords !== '')) {
          const lines = events(f.frame).filter((e) => e.type === 'plaintext' && e.decrypted === true);
          const conn = result.connections.find((c) => c.conversation.stream === f.stream)!;
          const lineProtocol = conn.transcript.tls?.upgradedFrom === 'ftp' || conn.ftp?.role === 'control';
          if (!lineProtocol) {
            expect(lines, `frame ${f.frame}: bulk data is never decrypted`).to.deep.equal([]);
            continue;
          }
          const first = lines[0];
          expect(first?.type === 'plaintext' ? first.text.split(/[ \\]/)[0] : null, `frame ${f.frame}`).to.equal(f.firstWords.split(',')[0]);
        }
      });
    });
  }
});

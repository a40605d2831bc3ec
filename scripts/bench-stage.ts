/**
 * One stage of the pipeline over one capture, in a process of its own so that its peak RSS is its
 * own: `node dist/scripts/bench-stage.js STAGE FILE`. Prints one JSON line (scripts/bench.ts reads it).
 *
 * Stages, each including the ones before: read (frames only), decode (link/IP/TCP headers),
 * reassembly (TCP conversations, bytes in order), tls (records, messages, transcripts). The whole
 * analysis is not here: scripts/bench.ts runs the CLI itself (bin/tlsdiag.js) as a subprocess, so
 * that it measures what users run, whatever the pipeline behind the CLI looks like.
 */
import { statSync } from 'node:fs';
import { readCapture } from '../src/input/read.js';
import { PacketView, decodePacket } from '../decoders/packet.js';
import { TcpTracker } from '../src/flow/tracker.js';
import type { Direction, StreamHandler } from '../src/flow/types.js';
import { ConnectionSession } from '../src/session/connection.js';

const STAGES = ['read', 'decode', 'reassembly', 'tls'] as const;
type Stage = (typeof STAGES)[number];

interface StageFigures {
  readonly stage: Stage;
  readonly seconds: number;
  readonly packets: number;
  /** TCP conversations (tcp.stream values) seen, for the stages that track them. */
  readonly connections: number | null;
  readonly bytes: number;
  /** Peak resident set size of the process, in bytes. */
  readonly peakRss: number;
}

/** Counts what the reassembly hands over, and nothing else. */
class CountingHandler implements StreamHandler {
  bytes = 0;
  onData(_dir: Direction, data: Uint8Array): void {
    this.bytes += data.length;
  }
  onGap(): void {}
  onFin(): void {}
  onRst(): void {}
  onClose(): void {}
}

async function run(stage: Stage, file: string): Promise<{ packets: number; connections: number | null }> {
  let packets = 0;
  switch (stage) {
    case 'read':
      await readCapture(file, () => {
        packets++;
      });
      return { packets, connections: null };
    case 'decode': {
      const view = new PacketView();
      await readCapture(file, (frame) => {
        packets++;
        decodePacket(frame.linkType, frame.data, view);
      });
      return { packets, connections: null };
    }
    case 'reassembly': {
      const tracker = new TcpTracker(() => new CountingHandler());
      await readCapture(file, (frame) => {
        packets++;
        tracker.push(frame);
      });
      tracker.finish();
      return { packets, connections: tracker.conversations };
    }
    case 'tls': {
      // As the pipeline does: a transcript when the conversation closes, then the session is let go.
      const memo = new Map();
      const tracker = new TcpTracker((conversation) => new TranscribedOnClose(conversation, memo));
      await readCapture(file, (frame) => {
        packets++;
        tracker.push(frame);
      });
      tracker.finish();
      return { packets, connections: tracker.conversations };
    }
  }
}

/** A session whose transcript is built when its conversation closes, and kept by nobody. */
class TranscribedOnClose extends ConnectionSession {
  override onClose(): void {
    super.onClose();
    this.transcript();
  }
}

async function cli(): Promise<void> {
  const [stage, file] = process.argv.slice(2) as [Stage, string];
  if (!STAGES.includes(stage) || !file) throw new Error(`usage: bench-stage.js ${STAGES.join('|')} FILE`);
  const started = process.hrtime.bigint();
  const { packets, connections } = await run(stage, file);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const figures: StageFigures = { stage, seconds, packets, connections, bytes: statSync(file).size, peakRss: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

await cli();

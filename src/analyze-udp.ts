/**
 * The UDP side of the pipeline (src/analyze.ts hands it every UDP datagram through TcpTracker.udp):
 * UdpTracker numbers conversations as Wireshark's udp.stream; those that start like DTLS or a QUIC
 * Initial get a session (src/session/dtls.ts, src/session/quic.ts, which gets the capture's key log)
 * while they are open; when one
 * closes (idle, or the capture's end) the same rules as for TCP judge its transcript and its record
 * goes to the sink, and its memory is let go. Other UDP conversations cost a table entry.
 */
import type { CaptureProblem } from './input/frame.js';
import type { PacketView } from '../decoders/packet.js';
import { UdpTracker, type DatagramHandler } from './flow/udp-tracker.js';
import type { Conversation, Direction } from './flow/types.js';
import { isStun, looksLikeDtls } from '../decoders/dtls/record.js';
import { looksLikeQuicInitial } from '../decoders/quic/packet.js';
import { DtlsSession } from './session/dtls.js';
import { QuicSession } from './session/quic.js';
import type { Transcript } from './session/transcript.js';
import type { CertificateSummary } from '../decoders/tls/types.js';
import { runConnectionRules } from './findings/engine.js';
import type { CaptureView, Rule } from './findings/types.js';
import type { ConnectionSink } from './analyze.js';
import type { KeyLog } from './tls-keys/keylog.js';

interface UdpSession extends DatagramHandler {
  transcript(): Transcript;
}

export class UdpPipeline {
  readonly tracker: UdpTracker;
  private readonly memo = new Map<string, CertificateSummary>();
  private readonly view: CaptureView;
  private continued = 0;
  private readonly extra: CaptureProblem[] = [];

  constructor(
    file: string,
    private readonly rules: readonly Rule[],
    private readonly sink: ConnectionSink,
    idleTimeoutSeconds: number | undefined,
    /** The capture's key log: QUIC Handshake packets are opened with it (src/session/quic.ts). */
    private readonly keyLog: KeyLog | null = null,
  ) {
    // Cross-connection rules look up TCP streams (FTP); a UDP connection has none to find.
    this.view = { file, connection: () => undefined };
    this.tracker = new UdpTracker(
      {
        accepts: (data) => (looksLikeDtls(data) || looksLikeQuicInitial(data) ? 1 : isStun(data) ? -1 : 0),
        open: (conversation, continuation) => this.open(conversation, continuation),
      },
      idleTimeoutSeconds !== undefined ? { idleTimeoutSeconds } : {},
    );
  }

  /** For TcpTracker.udp. */
  push(view: PacketView, frame: number, time: number): void {
    this.tracker.push(view, frame, time);
  }

  /** End of the capture: every open conversation closes and goes out. */
  finish(): void {
    this.tracker.finish();
  }

  notes(): readonly CaptureProblem[] {
    return [...this.tracker.notes(), ...this.extra];
  }

  private open(conversation: Conversation, continuation: boolean): DatagramHandler {
    if (continuation && this.continued++ === 0) {
      this.extra.push({
        severity: 'note',
        code: 'stream-continued',
        message: `udp.stream ${conversation.stream} went on after an idle close; the later datagrams are reported as a record of their own under the same stream index`,
        frame: conversation.firstFrame,
      });
    }
    // The opener accepted the first datagram: it tells which protocol (it is passed to the session next).
    let session: UdpSession | null = null;
    const onClosed = () => {
      const transcript = session!.transcript();
      const findings = runConnectionRules({ conversation, transcript }, this.view, this.rules);
      this.sink({ conversation, transcript, findings, related: [], ...(continuation ? { continuation: true as const } : {}) });
      session = null;
    };
    return {
      onDatagram: (dir: Direction, data: Uint8Array, frame: number, time: number) => {
        if (session === null) session = looksLikeQuicInitial(data) ? new QuicSession(conversation, this.keyLog) : new DtlsSession(conversation, this.memo);
        session.onDatagram(dir, data, frame, time);
      },
      onClose: () => {
        if (session === null) return;
        session.onClose();
        onClosed();
      },
    };
  }
}

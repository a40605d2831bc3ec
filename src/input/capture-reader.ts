// The shape every format reader has: fed the capture's (decompressed) bytes in order, chunk by
// chunk, it decodes synchronously and delivers frames through its ReadState.

export interface CaptureReader {
  /** Consumes the next chunk. After the ReadState has stopped, chunks are ignored. */
  push(chunk: Buffer): void;
  /** The input ended normally after the last chunk: a record or block left incomplete is reported. */
  end(): void;
}

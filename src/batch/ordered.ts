/**
 * Results finish in any order (workers run side by side) but are printed in input order: each item
 * takes a ticket when it starts, and tickets are emitted in order as soon as every earlier one is.
 * A window bounds the tickets out at once, so that one slow capture cannot make the finished ones
 * behind it pile up in memory.
 */
export class InOrder<T> {
  private nextToEmit = 0;
  private issued = 0;
  private readonly finished = new Map<number, T>();
  private flushing = false;
  private waiters: (() => void)[] = [];
  /** What an emit threw: emitting stops, and drained() rejects with it. */
  private failure: { readonly error: unknown } | null = null;

  constructor(
    private readonly emit: (item: T) => Promise<void>,
    private readonly window: number,
  ) {}

  /** Waits until a new ticket fits in the window. */
  async room(): Promise<void> {
    while (this.failure === null && this.issued - this.nextToEmit >= this.window) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  take(): number {
    return this.issued++;
  }

  /** The item of a ticket is ready; it is emitted when its turn comes. */
  complete(ticket: number, item: T): void {
    this.finished.set(ticket, item);
    void this.flush();
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.failure !== null) return;
    this.flushing = true;
    try {
      for (let item = this.finished.get(this.nextToEmit); item !== undefined; item = this.finished.get(this.nextToEmit)) {
        this.finished.delete(this.nextToEmit);
        await this.emit(item);
        this.nextToEmit++;
        this.wake();
      }
    } catch (err) {
      this.failure = { error: err };
    } finally {
      this.flushing = false;
      this.wake();
    }
    // A ticket completed while the last emit was being awaited.
    if (this.finished.has(this.nextToEmit)) void this.flush();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when every ticket issued has been emitted. */
  async drained(): Promise<void> {
    while (this.failure === null && (this.nextToEmit < this.issued || this.flushing)) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure !== null) throw this.failure.error;
  }
}

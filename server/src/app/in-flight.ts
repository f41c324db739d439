// Background work started outside a request (processing an acknowledged webhook), tracked so shutdown
// can let it finish instead of cutting it off halfway.
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** Waits for the work in flight, at most `timeoutMs`; whatever is left is resumed after the restart. */
  async settle(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs).unref()));
    await Promise.race([Promise.all(this.running), deadline]);
    clearTimeout(timer);
  }
}

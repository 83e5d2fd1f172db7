/**
 * A count of bytes shared by every call of one server. Received messages are Buffers, outside
 * the V8 heap, so --max-old-space-size does not bound them: without a shared count, each of
 * many concurrent calls may buffer up to the per-message limit.
 */
export class ByteBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Takes `n` bytes if they fit; false (and nothing taken) otherwise. */
  reserve(n: number): boolean {
    if (this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }

  release(n: number): void {
    this.used = Math.max(0, this.used - n);
  }

  get inUse(): number {
    return this.used;
  }
}

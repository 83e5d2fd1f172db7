/**
 * retry_mode = "adaptive": a client-side rate limit shared by every IAM and STS call of one
 * provider process. It is off until AWS throttles a call; then calls are paced at 70% of the
 * rate that was being sent, lower again on each further throttle, and the rate climbs back by
 * 10% (at least 0.5/s) with each success until it no longer limits anything. Waiting on our
 * side spends no attempts; retrying into throttling spends max_retries.
 */
export interface LimiterClock {
  now(): number;
}

const BETA = 0.7;
const MIN_RATE = 0.5; // calls per second
const UNLIMITED_ABOVE = 1000;
const WINDOW_MS = 1000;

export class AdaptiveRateLimiter {
  /** Calls per second; Infinity until the first throttle. */
  private rate = Infinity;
  /** When the next call may go, in clock milliseconds. */
  private next = 0;
  private readonly sent: number[] = [];

  constructor(private readonly clock: LimiterClock = { now: () => Date.now() }) {}

  get currentRate(): number {
    return this.rate;
  }

  /** Takes a slot for one call; returns how many milliseconds to wait before sending it. */
  reserve(): number {
    const now = this.clock.now();
    this.sent.push(now);
    while (this.sent.length > 0 && this.sent[0]! < now - WINDOW_MS) this.sent.shift();
    if (!Number.isFinite(this.rate)) return 0;
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.rate;
    return at - now;
  }

  /** The outcome of a call: throttled lowers the rate, anything else lets it recover. */
  record(throttled: boolean): void {
    if (throttled) {
      const measured = Math.max(1, this.sent.length * (1000 / WINDOW_MS));
      this.rate = Math.max(MIN_RATE, Math.min(this.rate, measured) * BETA);
      return;
    }
    if (!Number.isFinite(this.rate)) return;
    this.rate += Math.max(MIN_RATE, this.rate * 0.1);
    if (this.rate > UNLIMITED_ABOVE) {
      this.rate = Infinity;
      this.next = 0;
    }
  }
}

/**
 * The emulator's notion of "now": wall time plus an offset tests can push forward, so that
 * expiry can be exercised without waiting.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

export class Clock {
  private offsetMs = 0;

  now(): Date {
    // IAM timestamps have whole seconds; keeping them whole here makes stored and reported
    // dates identical.
    return new Date(Math.floor((Date.now() + this.offsetMs) / 1000) * 1000);
  }

  advance(ms: number): Date {
    this.offsetMs += ms;
    return this.now();
  }

  advanceDays(days: number): Date {
    return this.advance(days * DAY_MS);
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

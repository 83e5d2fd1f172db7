/**
 * The one backoff formula: the pause before retry `attempt` (0 for the first retry) grows
 * by `factor` from `baseMs`, up to `capMs`. Each caller states its own numbers, so the
 * schedules differ only where their reasons do.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** Growth per attempt; 2 unless stated. */
  factor?: number;
  /**
   * "full": a uniform pick in [0, ceiling), so clients that failed together do not retry
   * together (AWS's "full jitter"). "none": the ceiling itself, for waits on one caller's
   * own progress (propagation, polling) where spreading buys nothing.
   */
  jitter: "full" | "none";
  /** A number in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.capMs, options.baseMs * (options.factor ?? 2) ** attempt);
  if (options.jitter === "none") return Math.ceil(ceiling);
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

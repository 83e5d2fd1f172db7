/**
 * IAM is eventually consistent: a user created a moment ago may still be unknown to the next
 * call. This retries an operation, with growing pauses, while `retryable` says the failure
 * may be propagation delay, up to a deadline; Ctrl-C (the abort signal) ends the wait.
 */
import { backoffDelay } from "./backoff.ts";
import { sleep } from "./sleep.ts";

export interface PropagationOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** First pause; each next one is half as long again, up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export class PropagationTimeoutError extends Error {
  override readonly name = "PropagationTimeoutError";
  constructor(
    readonly lastError: unknown,
    readonly waitedMs: number,
  ) {
    super(`still failing after ${Math.round(waitedMs / 1000)}s: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
  }
}

export async function retryDuringPropagation<T>(
  operation: () => Promise<T>,
  retryable: (err: unknown) => boolean | Promise<boolean>,
  options: PropagationOptions,
): Promise<T> {
  const started = Date.now();
  // No jitter: this waits on IAM's own replication, not on a server other clients load too.
  const backoff = { baseMs: options.initialDelayMs ?? 200, capMs: options.maxDelayMs ?? 5_000, factor: 1.5, jitter: "none" } as const;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      if (!(await retryable(err))) throw err;
      const waited = Date.now() - started;
      const delay = backoffDelay(attempt, backoff);
      if (waited + delay > options.timeoutMs) throw new PropagationTimeoutError(err, waited);
      await sleep(delay, options.signal);
    }
  }
}

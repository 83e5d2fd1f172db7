/**
 * IAM is eventually consistent: a user created a moment ago may still be unknown to the next
 * call. This retries an operation, with growing pauses, while `retryable` says the failure
 * may be propagation delay, up to a deadline; Ctrl-C (the abort signal) ends the wait.
 */
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
  let delay = options.initialDelayMs ?? 200;
  const maxDelay = options.maxDelayMs ?? 5_000;
  for (;;) {
    try {
      return await operation();
    } catch (err) {
      if (!(await retryable(err))) throw err;
      const waited = Date.now() - started;
      if (waited + delay > options.timeoutMs) throw new PropagationTimeoutError(err, waited);
      await sleep(delay, options.signal);
      delay = Math.min(maxDelay, Math.ceil(delay * 1.5));
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * token_bucket_rate_limiter_capacity: a retry quota shared by all calls of one provider
 * process, as the AWS SDKs' standard mode has. A retry costs 5 tokens, 10 after a timeout; a
 * call that succeeds gives back what its retries cost, or 1 token if it needed none. An empty
 * bucket means the service is struggling: failures are then returned instead of retried.
 */
const RETRY_COST = 5;
const TIMEOUT_RETRY_COST = 10;

export class RetryQuota {
  private tokens: number;

  constructor(readonly capacity: number) {
    this.tokens = capacity;
  }

  get available(): number {
    return this.tokens;
  }

  /** Takes the cost of one retry; false (and nothing taken) when there is not enough left. */
  take(timeout: boolean): number | undefined {
    const cost = timeout ? TIMEOUT_RETRY_COST : RETRY_COST;
    if (this.tokens < cost) return undefined;
    this.tokens -= cost;
    return cost;
  }

  release(spent: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + (spent > 0 ? spent : 1));
  }
}

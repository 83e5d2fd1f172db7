/**
 * Entries kept per user and service for a bounded time: the refresh listings
 * (credential-listings.ts) and the create baselines (create-baselines.ts). An entry's age counts
 * from its own start; one past the age counts as absent. Those are dropped once the map holds
 * twice as many as after the last sweep, so a long-lived process stays small.
 */

// No sweep below this many entries.
const SWEEP_AT = 512;

export class PairEntries<V> {
  readonly #entries = new Map<string, V>();
  #sweepAt = SWEEP_AT;

  constructor(
    private readonly maxAgeMs: number,
    private readonly startOf: (entry: V) => number,
    private readonly now: () => number,
  ) {}

  /** The entry, when there is one and it is not too old. */
  fresh(userName: string, serviceName: string): V | undefined {
    const entry = this.#entries.get(keyOf(userName, serviceName));
    return entry !== undefined && this.isFresh(entry) ? entry : undefined;
  }

  /** The entry as held, however old: to tell whether it is still the one that was set. */
  held(userName: string, serviceName: string): V | undefined {
    return this.#entries.get(keyOf(userName, serviceName));
  }

  set(userName: string, serviceName: string, entry: V): void {
    if (this.#entries.size >= this.#sweepAt) this.#sweep();
    this.#entries.set(keyOf(userName, serviceName), entry);
  }

  delete(userName: string, serviceName: string): void {
    this.#entries.delete(keyOf(userName, serviceName));
  }

  /** Every entry of the user, all services. */
  deleteUser(userName: string): void {
    const prefix = keyOf(userName, "");
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  isFresh(entry: V): boolean {
    return this.now() - this.startOf(entry) <= this.maxAgeMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  #sweep() {
    for (const [key, entry] of this.#entries) if (!this.isFresh(entry)) this.#entries.delete(key);
    // Many pairs in one walk keep many entries fresh: sweep again only once they have doubled.
    this.#sweepAt = Math.max(SWEEP_AT, this.#entries.size * 2);
  }
}

function keyOf(userName: string, serviceName: string) {
  return `${userName}\u0000${serviceName}`;
}

/**
 * What a create of a service-specific credential may take as the credentials its user had
 * before it: what the create just before it, for the same user and service, listed and made.
 *
 * Every create lists the user's credentials for the service before it asks IAM, so that after
 * a lost answer it can tell which credentials are new (credential-create.ts). Users hold their
 * credentials in pairs, the pair that makes rotation possible, and the creates of one pair run
 * one after the other in this process. The second create's listing would show what the first
 * one listed plus what it made, so the first hands that over and the pair costs one List.
 *
 * This is safe because every id handed over is of a credential that existed before the next
 * create is sent. What a baseline lacks (a credential someone else made since it was listed)
 * shows up as new after a lost answer, and a new credential is only ever named, never adopted
 * or deleted. An older baseline can therefore only make that failure name more candidates. Its
 * age is bounded all the same, from the listing it started with, so that they stay few.
 */

export interface CreateBaseline {
  /** Ids of credentials the user had for the service before the create. */
  readonly ids: ReadonlySet<string>;
  /** When the listing these ids start from was asked for (performance.now()). */
  readonly listedAt: number;
}

/** As long as a refresh reuses a listing (credential-listings.ts): one walk's worth. */
const BASELINE_MAX_AGE_MS = 30_000;
// Baselines nobody took are dropped once this many are held, so a long-lived process stays small.
const SWEEP_AT = 512;

export class CreateBaselines {
  readonly #byPair = new Map<string, CreateBaseline>();
  #sweepAt = SWEEP_AT;

  constructor(
    private readonly maxAgeMs = BASELINE_MAX_AGE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The baseline handed over for this pair, once: undefined when there is none or it is too old (then the create lists). */
  take(userName: string, serviceName: string): CreateBaseline | undefined {
    const key = keyOf(userName, serviceName);
    const baseline = this.#byPair.get(key);
    this.#byPair.delete(key);
    return baseline && this.fresh(baseline) ? baseline : undefined;
  }

  /** After an answered create: what it started from, with the credential it made. */
  handOver(userName: string, serviceName: string, baseline: CreateBaseline): void {
    if (!this.fresh(baseline)) return;
    if (this.#byPair.size >= this.#sweepAt) {
      for (const [key, held] of this.#byPair) if (!this.fresh(held)) this.#byPair.delete(key);
      // Many pairs created at once keep many baselines fresh: sweep again only once they have doubled.
      this.#sweepAt = Math.max(SWEEP_AT, this.#byPair.size * 2);
    }
    this.#byPair.set(keyOf(userName, serviceName), baseline);
  }

  /** How many baselines are held. */
  get size(): number {
    return this.#byPair.size;
  }

  private fresh(baseline: CreateBaseline): boolean {
    return this.now() - baseline.listedAt <= this.maxAgeMs;
  }
}

const byClient = new WeakMap<object, CreateBaselines>();

/** The baselines of one configured provider: another one may reach another account, with users of the same names. */
export function createBaselines(client: object): CreateBaselines {
  let baselines = byClient.get(client);
  if (!baselines) {
    baselines = new CreateBaselines();
    byClient.set(client, baselines);
  }
  return baselines;
}

function keyOf(userName: string, serviceName: string) {
  return `${userName}\u0000${serviceName}`;
}

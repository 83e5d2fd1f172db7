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
import { LISTING_MAX_AGE_MS } from "./credential-listings.ts";
import { PairEntries } from "./pair-entries.ts";

export interface CreateBaseline {
  /** Ids of credentials the user had for the service before the create. */
  readonly ids: ReadonlySet<string>;
  /** When the listing these ids start from was asked for (performance.now()). */
  readonly listedAt: number;
}

export class CreateBaselines {
  readonly #byPair: PairEntries<CreateBaseline>;

  // As long as a refresh reuses a listing: one walk's worth.
  constructor(maxAgeMs = LISTING_MAX_AGE_MS, now: () => number = () => performance.now()) {
    this.#byPair = new PairEntries(maxAgeMs, (baseline) => baseline.listedAt, now);
  }

  /** The baseline handed over for this pair, once: undefined when there is none or it is too old (then the create lists). */
  take(userName: string, serviceName: string): CreateBaseline | undefined {
    const baseline = this.#byPair.fresh(userName, serviceName);
    this.#byPair.delete(userName, serviceName);
    return baseline;
  }

  /** After an answered create: what it started from, with the credential it made. */
  handOver(userName: string, serviceName: string, baseline: CreateBaseline): void {
    if (this.#byPair.isFresh(baseline)) this.#byPair.set(userName, serviceName, baseline);
  }

  /** How many baselines are held. */
  get size(): number {
    return this.#byPair.size;
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

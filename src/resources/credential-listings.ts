/**
 * Refresh reads of credentials that share a user and a service reuse one recent listing.
 *
 * IAM has no call that reads one service-specific credential: each read lists the user's
 * credentials for the service and picks one out. A user usually holds two of them (the pair
 * that makes rotation possible), so a refresh made as many List calls as there are credentials.
 * Terraform refreshes every instance of a walk in no set order, so a listing a few seconds old
 * is as current as the walk itself; reusing it halves the calls, and with them the time and the
 * share of IAM's rate limit a plan takes.
 *
 * Only a credential that is found is answered from a reused listing. "Not in the list" is always
 * asked again, so a credential is never dropped from state on the word of an older listing.
 */
import type { IamApi, ServiceSpecificCredentialMetadata } from "../aws/iam-api.ts";
import { PairEntries } from "./pair-entries.ts";

/** How long a listing may be reused. Each configured provider serves one walk; this bounds a long one. */
export const LISTING_MAX_AGE_MS = 30_000;

interface Listing {
  readonly startedAt: number;
  readonly credentials: Promise<ServiceSpecificCredentialMetadata[]>;
}

export class CredentialListings {
  readonly #listings: PairEntries<Listing>;

  constructor(
    private readonly api: IamApi,
    maxAgeMs = LISTING_MAX_AGE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#listings = new PairEntries(maxAgeMs, (listing) => listing.startedAt, now);
  }

  /** The credential as IAM lists it, or undefined when a listing made for this call lacks it. */
  async find(userName: string, serviceName: string, id: string, signal: AbortSignal): Promise<ServiceSpecificCredentialMetadata | undefined> {
    const recent = this.#listings.fresh(userName, serviceName);
    if (recent) {
      // A failed shared listing is not this read's answer: it asks on its own below.
      const hit = (await recent.credentials.catch(() => undefined))?.find((c) => c.ServiceSpecificCredentialId === id);
      if (hit) return hit;
    }
    return (await this.#list(userName, serviceName, signal)).find((c) => c.ServiceSpecificCredentialId === id);
  }

  /** How many listings are held, fresh or not yet swept. */
  get size(): number {
    return this.#listings.size;
  }

  /** Runs a change to a user's credentials (of one service, or all): whatever its outcome, what was listed before no longer holds. */
  async changing<T>(userName: string, serviceName: string | undefined, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      this.forget(userName, serviceName);
    }
  }

  /** Drop what is known of a user's credentials (of one service, or all). */
  forget(userName: string, serviceName?: string): void {
    if (serviceName !== undefined) this.#listings.delete(userName, serviceName);
    else this.#listings.deleteUser(userName);
  }

  #list(userName: string, serviceName: string, signal: AbortSignal) {
    const credentials = this.api.listServiceSpecificCredentials(userName, serviceName, signal);
    const listing = { startedAt: this.now(), credentials };
    this.#listings.set(userName, serviceName, listing);
    credentials.catch(() => {
      if (this.#listings.held(userName, serviceName) === listing) this.#listings.delete(userName, serviceName);
    });
    return credentials;
  }
}

const byClient = new WeakMap<IamApi, CredentialListings>();

/** The listings of one configured provider: they live and go with its client. */
export function credentialListings(api: IamApi): CredentialListings {
  let listings = byClient.get(api);
  if (!listings) {
    listings = new CredentialListings(api);
    byClient.set(api, listings);
  }
  return listings;
}

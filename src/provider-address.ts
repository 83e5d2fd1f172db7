/**
 * The registry addresses this provider answers to. One build serves either: its own address,
 * beside the official provider, or the official one as a drop-in. Packaging bakes the address
 * it packages for into the bundle; the dist/ launcher takes it as `--address`.
 */

/** Where the provider lives by default: its own namespace, beside `hashicorp/aws`. */
export const OWN_PROVIDER_ADDRESS = "registry.terraform.io/iamssc/awsssc";

/** The official AWS provider's address, which drop-in mode answers to. */
export const OFFICIAL_PROVIDER_ADDRESS = "registry.terraform.io/hashicorp/aws";

declare const __PROVIDER_ADDRESS__: string | undefined;

/** The address baked in by `npm run package -- --address …`, else the provider's own. */
export const BUILT_PROVIDER_ADDRESS: string = typeof __PROVIDER_ADDRESS__ === "string" ? __PROVIDER_ADDRESS__ : OWN_PROVIDER_ADDRESS;

/** HOST/NAMESPACE/TYPE as Terraform spells provider source addresses in full. */
const ADDRESS = /^([a-z0-9][a-z0-9.-]*(?::\d+)?)\/([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)\/([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)$/;

export const ADDRESS_FORM = `HOST/NAMESPACE/TYPE in lower case, such as ${OWN_PROVIDER_ADDRESS} or ${OFFICIAL_PROVIDER_ADDRESS}`;

/** Semantic versions, which Terraform reads from the mirror's file names. */
const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

export const VERSION_FORM = "X.Y.Z, a semantic version such as 0.1.0 or 6.25.0";

export function isProviderVersion(text: string): boolean {
  return VERSION.test(text);
}

export interface ProviderAddress {
  readonly host: string;
  readonly namespace: string;
  readonly type: string;
}

/** Parses a full source address; undefined when it is not one. */
export function parseProviderAddress(text: string): ProviderAddress | undefined {
  const m = ADDRESS.exec(text);
  if (!m || m[1]!.includes("..")) return undefined;
  return { host: m[1]!, namespace: m[2]!, type: m[3]! };
}

/**
 * Addresses whose state a `moved` block may bring into this provider: the official provider's,
 * and every address this build is known under. Terraform compares addresses case-insensitively.
 */
export function acceptedMoveSources(current: string = BUILT_PROVIDER_ADDRESS): string[] {
  return [...new Set([OFFICIAL_PROVIDER_ADDRESS, OWN_PROVIDER_ADDRESS, current].map((a) => a.toLowerCase()))];
}

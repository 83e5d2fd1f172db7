/** What a provider implements: its own configuration, and the resources it offers. */
import type { Value } from "../values/value.ts";
import type { Diagnostics } from "./diagnostics.ts";
import type { Resource } from "./resource.ts";
import type { BlockSchema } from "./schema.ts";

export interface ConfigureContext {
  readonly signal: AbortSignal;
  readonly env: NodeJS.ProcessEnv;
}

export interface Provider<Client> {
  /** The provider's type name as used in resource type prefixes (`aws`). */
  readonly typeName: string;
  readonly schema: BlockSchema;
  readonly resources: readonly Resource<Client>[];
  validateConfig?(config: Value, diags: Diagnostics): void;
  /** Returns what resources receive as their client; should not call remote APIs unless it must. */
  configure(config: Value, ctx: ConfigureContext, diags: Diagnostics): Promise<Client | undefined>;
}

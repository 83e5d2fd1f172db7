/** What a provider implements: its own configuration, and the resources and data sources it offers. */
import type { Value } from "../values/value.ts";
import type { DataSource } from "./data-source.ts";
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
  readonly dataSources?: readonly DataSource<Client>[];
  validateConfig?(config: Value, diags: Diagnostics): void;
  /** Returns what resources and data sources receive as their client; should not call remote APIs unless it must. */
  configure(config: Value, ctx: ConfigureContext, diags: Diagnostics): Promise<Client | undefined>;
}

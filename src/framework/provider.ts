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

export interface ProviderValidateConfigRequest {
  readonly config: Value;
}

export interface ConfigureRequest extends ConfigureContext {
  readonly config: Value;
}

export interface ConfigureResponse<Client> {
  /** What resources and data sources receive as their client; left undefined on failure. */
  client: Client | undefined;
  readonly diagnostics: Diagnostics;
}

export interface Provider<Client> {
  /** The provider's type name as used in resource type prefixes (`aws`). */
  readonly typeName: string;
  readonly schema: BlockSchema;
  readonly resources: readonly Resource<Client>[];
  readonly dataSources?: readonly DataSource<Client>[];
  /** Checks that span attributes; per-attribute validators run before this. */
  validateConfig?(req: ProviderValidateConfigRequest, resp: { readonly diagnostics: Diagnostics }): void;
  /** Sets the client resources and data sources receive; should not call remote APIs unless it must. */
  configure(req: ConfigureRequest, resp: ConfigureResponse<Client>): Promise<void>;
}

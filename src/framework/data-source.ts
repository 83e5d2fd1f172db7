/**
 * What a data source implements. Like resources, data source files hold domain logic only:
 * they receive the configuration as a tri-state value shaped by their schema and return the
 * object Terraform stores; decoding and the wire belong to the framework.
 *
 * Terraform reads a data source only once its configuration is wholly known: during plan when
 * it can, else (a value depends on something not yet applied) it plans the read itself, with
 * every computed attribute unknown, and reads during apply. So `read` never sees unknowns.
 */
import type { Value } from "../values/value.ts";
import type { Diagnostics } from "./diagnostics.ts";
import type { RequestContext } from "./request-context.ts";
import type { ValidateConfigRequest, ValidateConfigResponse } from "./resource-requests.ts";
import type { Schema } from "./schema.ts";

/** The same configured client, cancellation and logger as a resource; no notes (no private state). */
export interface DataSourceReadRequest<Client> extends RequestContext<Client> {
  readonly config: Value;
}

export interface DataSourceReadResponse {
  /**
   * The object read; null until set. Attributes left out keep their configured value. On
   * failure, add an error (the state is then ignored).
   */
  state: Value;
  readonly diagnostics: Diagnostics;
}

export interface DataSource<Client> {
  readonly typeName: string;
  /** Arguments are required or optional attributes; what it reads is computed. Its version is not used. */
  readonly schema: Schema;

  /** Checks that span attributes; per-attribute validators run before this. */
  validateConfig?(req: ValidateConfigRequest, resp: ValidateConfigResponse): void;
  /** Reads the object for a wholly known configuration. */
  read(req: DataSourceReadRequest<Client>, resp: DataSourceReadResponse): Promise<void>;
}

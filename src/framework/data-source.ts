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
import type { ResourceContext } from "./resource.ts";
import type { Schema } from "./schema.ts";

/** The same configured client, cancellation and logger as a resource; no notes (no private state). */
export type DataSourceContext<Client> = Omit<ResourceContext<Client>, "notes">;

export interface DataSource<Client> {
  readonly typeName: string;
  /** Arguments are required or optional attributes; what it reads is computed. Its version is not used. */
  readonly schema: Schema;

  /** Checks that span attributes; per-attribute validators run before this. */
  validateConfig?(config: Value, diags: Diagnostics): void;
  /**
   * Reads the object for a wholly known configuration. Attributes left out of the result keep
   * their configured value. On failure, add an error to `diags` (what is returned is then ignored).
   */
  read(config: Value, ctx: DataSourceContext<Client>, diags: Diagnostics): Promise<Value>;
}

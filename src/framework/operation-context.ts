/**
 * What the server knows that an operation needs beyond its request: the configured client,
 * if any, the call's signal and the logger. Operations that call a resource or data source
 * need the provider configured first.
 */
import type { Logger } from "../logging/logger.ts";
import type { Diagnostics } from "./diagnostics.ts";
import type { RequestContext } from "./request-context.ts";

export interface OperationContext<Client> {
  /** Undefined until ConfigureProvider has run (or when it gave none). */
  readonly client: Client | undefined;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/** The context a resource or data source is called with; undefined, with an error, before configuration. */
export function configuredContext<Client>(op: OperationContext<Client>, diags: Diagnostics): RequestContext<Client> | undefined {
  if (op.client === undefined) {
    diags.error(
      "Provider not configured",
      "The provider was asked to manage a resource or read a data source before it was configured; this is a bug in the provider or in Terraform.",
    );
    return undefined;
  }
  return { client: op.client, signal: op.signal, logger: op.logger };
}

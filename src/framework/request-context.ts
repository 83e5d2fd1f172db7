/** What every resource and data source operation is handed besides its own data. */
import type { Logger } from "../logging/logger.ts";

export interface RequestContext<Client> {
  /** The configured provider's data (clients), created lazily by the provider. */
  readonly client: Client;
  /** Aborted when Terraform sends StopProvider (Ctrl-C), or the call is cancelled or times out. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

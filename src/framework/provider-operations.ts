/** The provider's own RPCs on framework terms: checking its configuration, and configuring it. */
import type { Value } from "../values/value.ts";
import type { Diagnostics, WithDiagnostics } from "./diagnostics.ts";
import { runValidators } from "./config-checks.ts";
import { registerSecrets } from "./object-values.ts";
import type { ConfigureContext, ConfigureResponse, Provider } from "./provider.ts";

export interface ProviderConfigRequest {
  readonly config: Value;
}

export interface ConfigureProviderResponse<C> extends WithDiagnostics {
  /** Set when configure ran: what resources and data sources get as their client (undefined if it gave none). */
  readonly configured?: { readonly client: C | undefined };
}

export function validateProviderConfig<C>(provider: Provider<C>, req: ProviderConfigRequest, diags: Diagnostics): WithDiagnostics {
  if (!diags.hasErrors()) {
    runValidators(provider.schema, req.config, diags);
    provider.validateConfig?.({ config: req.config }, { diagnostics: diags });
  }
  return { diagnostics: diags };
}

export async function configureProvider<C>(
  provider: Provider<C>,
  req: ProviderConfigRequest,
  ctx: ConfigureContext,
  diags: Diagnostics,
): Promise<ConfigureProviderResponse<C>> {
  if (diags.hasErrors()) return { diagnostics: diags };
  registerSecrets(provider.schema, req.config);
  const resp: ConfigureResponse<C> = { client: undefined, diagnostics: diags };
  await provider.configure({ ...ctx, config: req.config }, resp);
  return { configured: { client: resp.client }, diagnostics: diags };
}

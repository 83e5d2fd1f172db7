/**
 * What main.ts loads after the handshake: the framework serving the aws provider. The bench's
 * null provider (bench/null-provider.ts) takes this module's place in its own build.
 */
import type { ProviderServer } from "./protocol/provider-server.ts";
import type { Logger } from "./logging/logger.ts";
import { FrameworkServer } from "./framework/framework-server.ts";
import { awsProvider } from "./provider/aws-provider.ts";

export function createProviderServer(options: { logger: Logger; providerAddress: string }): ProviderServer {
  return new FrameworkServer(awsProvider(), options);
}

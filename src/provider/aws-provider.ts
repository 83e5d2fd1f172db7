/**
 * The `aws` provider: its block (provider-schema.ts), checked at validate time and turned into
 * an IAM client at configure time (provider-settings.ts).
 */
import { asBool, asList, asString, getAttribute, isNull, containsUnknown } from "../values/value.ts";
import type { Provider } from "../framework/provider.ts";
import { ConnectionFailedError, IamApi, RequestTimeoutError } from "../aws/iam-api.ts";
import type { AwsSettings } from "../aws/aws-settings.ts";
import { looksLikeRegion } from "../aws/aws-settings.ts";
import { providerSchema } from "./provider-schema.ts";
import { invalidRegion, readSettings } from "./provider-settings.ts";
import { awsErrorCode, awsErrorMessage, isAuthFailure } from "../aws/aws-errors.ts";
import { createLogger, levelFromEnv } from "../logging/logger.ts";
import { iamServiceSpecificCredential } from "../resources/iam-service-specific-credential.ts";
import { iamUser } from "../resources/iam-user.ts";
import { iamServiceSpecificCredentials } from "../data-sources/iam-service-specific-credentials.ts";

export { providerSchema };

export function awsProvider(): Provider<IamApi> {
  return {
    typeName: "aws",
    schema: providerSchema,
    resources: [iamServiceSpecificCredential, iamUser],
    dataSources: [iamServiceSpecificCredentials],
    validateConfig({ config }, { diagnostics: diags }) {
      const region = asString(getAttribute(config, "region"));
      const skip = getAttribute(config, "skip_region_validation");
      // An unknown skip_region_validation may turn out true: check again at configure.
      if (isNull(skip) || asBool(skip) === false) {
        if (region !== undefined && !looksLikeRegion(region)) invalidRegion(region, diags);
        const stsRegion = asString(getAttribute(config, "sts_region"));
        if (stsRegion !== undefined && !looksLikeRegion(stsRegion)) invalidRegion(stsRegion, diags, "sts_region");
      }
      const webIdentity = asList(getAttribute(config, "assume_role_with_web_identity"))?.[0];
      if (asString(getAttribute(webIdentity, "web_identity_token")) && asString(getAttribute(webIdentity, "web_identity_token_file"))) {
        diags.error("Conflicting web identity token", "Set web_identity_token or web_identity_token_file, not both.", [
          "assume_role_with_web_identity",
          0,
          "web_identity_token_file",
        ]);
      }
      const allowed = getAttribute(config, "allowed_account_ids");
      if (!isNull(allowed) && !isNull(getAttribute(config, "forbidden_account_ids"))) {
        diags.error("Conflicting account lists", "Set allowed_account_ids or forbidden_account_ids, not both.", ["forbidden_account_ids"]);
      }
      // Known at validate time when both are written out (configure checks again with unknowns resolved).
      const accessKey = getAttribute(config, "access_key");
      const secretKey = getAttribute(config, "secret_key");
      if (!containsUnknown(accessKey) && !containsUnknown(secretKey) && isNull(accessKey) !== isNull(secretKey)) {
        diags.error("Incomplete static credentials", "Set both access_key and secret_key, or neither.", [isNull(accessKey) ? "access_key" : "secret_key"]);
      }
    },
    async configure({ config, ...ctx }, resp) {
      const diags = resp.diagnostics;
      const settings = readSettings(config, ctx.env, diags);
      if (!settings) return;
      const logger = createLogger({ level: levelFromEnv(ctx.env), module: "provider.aws" });
      const api = new IamApi(settings, logger);
      // Validating credentials costs an STS call per provider process; users opt out with
      // skip_credentials_validation, as LocalStack setups do.
      if (!settings.skipCredentialsValidation && !containsUnknown(config)) {
        try {
          const identity = await api.getCallerIdentity(ctx.signal);
          const allowed = asList(getAttribute(config, "allowed_account_ids"))?.map(asString);
          const forbidden = asList(getAttribute(config, "forbidden_account_ids"))?.map(asString);
          if (allowed && allowed.length > 0 && !allowed.includes(identity.account)) {
            diags.error("Account not allowed", `The credentials belong to account ${identity.account}, which is not in allowed_account_ids.`, [
              "allowed_account_ids",
            ]);
          }
          if (forbidden?.includes(identity.account)) {
            diags.error("Account forbidden", `The credentials belong to account ${identity.account}, which is in forbidden_account_ids.`, [
              "forbidden_account_ids",
            ]);
          }
        } catch (err) {
          // No answer says nothing about the credentials: name the service and endpoint instead.
          if (err instanceof RequestTimeoutError || err instanceof ConnectionFailedError) {
            diags.error(
              err instanceof RequestTimeoutError ? `${err.service} did not answer` : `Cannot reach ${err.service}`,
              `The provider could not check its credentials: ${err.message}. Check the endpoints and the network, or set skip_credentials_validation = true to skip this check.`,
            );
          } else {
            diags.error(
              "Invalid AWS credentials",
              credentialsProblem(err, settings, ctx.env) +
                " Check access_key/secret_key, the profile, or the endpoints; set skip_credentials_validation = true to skip this check.",
            );
          }
        }
      }
      if (!diags.hasErrors()) resp.client = api;
    },
  };
}

function credentialsProblem(err: unknown, settings: AwsSettings, env: NodeJS.ProcessEnv): string {
  if (awsErrorCode(err) === "CredentialsProviderError") {
    // The SDK only says "Could not load credentials from any providers": say where we looked.
    const where = settings.profile
      ? `profile ${JSON.stringify(settings.profile)} in ${settings.sharedCredentialsFiles[0] || env.AWS_SHARED_CREDENTIALS_FILE || "~/.aws/credentials"} and ${settings.sharedConfigFiles[0] || env.AWS_CONFIG_FILE || "~/.aws/config"}`
      : "access_key/secret_key, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the default profile of the shared files, and the other sources of the AWS default credential chain";
    return `No AWS credentials were found: the provider looked at ${where} (${awsErrorMessage(err)}).`;
  }
  if (isAuthFailure(err)) return `AWS did not accept the configured credentials (${awsErrorCode(err)}).`;
  return `The provider could not check its credentials with STS GetCallerIdentity at ${settings.endpoints.sts ?? "the default STS endpoint"}: ${awsErrorMessage(err).replace(/\.?$/, ".")}`;
}

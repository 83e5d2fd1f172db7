/** The parts of `@aws-sdk/client-sts` the provider uses (see iam-sdk.ts for why). */
export { STSClient, GetCallerIdentityCommand, AssumeRoleCommand, AssumeRoleWithWebIdentityCommand } from "@aws-sdk/client-sts";

/**
 * Credentials from the EC2 instance metadata service at the address the configuration chose
 * (ec2_metadata_service_endpoint or its mode), with IMDSv2's session token: PUT a token, list
 * the instance profile's role, then GET its credentials. Used when no other source has
 * credentials; the SDK's own IMDS client only reads its address from the environment.
 */
import { request } from "node:http";
import type { AwsCredentialIdentity } from "@smithy/types";

const TOKEN_TTL_SECONDS = "21600";
const CREDENTIALS_PATH = "/latest/meta-data/iam/security-credentials/";

export class ImdsError extends Error {
  override readonly name = "CredentialsProviderError";
}

function call(
  endpoint: string,
  method: "PUT" | "GET",
  path: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  const url = new URL(path, `${endpoint}/`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new ImdsError(`the EC2 metadata service at ${endpoint} did not answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

export async function imdsCredentials(endpoint: string, timeoutMs = 1000): Promise<AwsCredentialIdentity> {
  const base = endpoint.replace(/\/+$/, "");
  let token: string | undefined;
  try {
    const t = await call(base, "PUT", "/latest/api/token", { "x-aws-ec2-metadata-token-ttl-seconds": TOKEN_TTL_SECONDS }, timeoutMs);
    // IMDSv1-only services answer 403/404/405 to the token request; carry on without a token.
    if (t.status === 200) token = t.body.trim();
  } catch (err) {
    throw new ImdsError(`the EC2 metadata service at ${base} could not be reached: ${(err as Error).message}`);
  }
  const headers: Record<string, string> = token ? { "x-aws-ec2-metadata-token": token } : {};
  const roles = await call(base, "GET", CREDENTIALS_PATH, headers, timeoutMs);
  const role = roles.status === 200 ? roles.body.split("\n")[0]?.trim() : undefined;
  if (!role) throw new ImdsError(`the EC2 metadata service at ${base} has no instance profile role (HTTP ${roles.status})`);
  const answer = await call(base, "GET", `${CREDENTIALS_PATH}${encodeURIComponent(role)}`, headers, timeoutMs);
  let parsed: { Code?: string; AccessKeyId?: string; SecretAccessKey?: string; Token?: string; Expiration?: string };
  try {
    parsed = JSON.parse(answer.body) as typeof parsed;
  } catch {
    throw new ImdsError(`the EC2 metadata service at ${base} answered the credentials request with something other than JSON (HTTP ${answer.status})`);
  }
  if (answer.status !== 200 || !parsed.AccessKeyId || !parsed.SecretAccessKey) {
    throw new ImdsError(
      `the EC2 metadata service at ${base} returned no credentials for role ${role} (HTTP ${answer.status}${parsed.Code ? `, ${parsed.Code}` : ""})`,
    );
  }
  return {
    accessKeyId: parsed.AccessKeyId,
    secretAccessKey: parsed.SecretAccessKey,
    ...(parsed.Token ? { sessionToken: parsed.Token } : {}),
    ...(parsed.Expiration ? { expiration: new Date(parsed.Expiration) } : {}),
  };
}

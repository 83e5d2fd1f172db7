// State files as the official AWS provider (hashicorp/aws, built on SDKv2) writes them, for
// objects a test made through the IAM API: what a user of that provider has before moving over.
// The shapes follow its source (internal/service/iam): "" where IAM gave nothing, {} for a user
// without tags, and SDKv2's private metadata. Pre-Bedrock versions had no API-key attributes.
import { randomUUID } from "node:crypto";
import type { ServiceSpecificCredential, User } from "@aws-sdk/client-iam";
import { rfc3339 } from "../../src/resources/rfc3339.ts";

export const OFFICIAL_PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
// SDKv2 keeps {"schema_version":"0"} as every object's private data.
const SDKV2_PRIVATE = Buffer.from('{"schema_version":"0"}').toString("base64");

export interface StateResource {
  mode: "managed";
  type: string;
  name: string;
  provider: string;
  instances: { schema_version: number; attributes: Record<string, unknown>; sensitive_attributes: unknown[]; private: string; dependencies?: string[] }[];
}

/** A user's attributes as the official provider stores them, for unit and RPC tests. */
export const OFFICIAL_USER_ATTRIBUTES = {
  id: "example",
  arn: "arn:aws:iam::123456789012:user/example",
  force_destroy: false,
  name: "example",
  path: "/",
  permissions_boundary: "",
  tags: {},
  tags_all: {},
  unique_id: "AIDA1234567890EXAMPLE",
};

export function officialUser(name: string, user: User): StateResource {
  return {
    mode: "managed",
    type: "aws_iam_user",
    name,
    provider: OFFICIAL_PROVIDER,
    instances: [
      {
        schema_version: 0,
        attributes: {
          arn: user.Arn,
          force_destroy: false,
          id: user.UserName,
          name: user.UserName,
          path: "/",
          permissions_boundary: "",
          tags: {},
          tags_all: {},
          unique_id: user.UserId,
        },
        sensitive_attributes: [],
        private: SDKV2_PRIVATE,
      },
    ],
  };
}

/**
 * A credential as v6 of the official provider stores it (every Bedrock-era attribute, "" for
 * what IAM did not return), or with `preBedrock` as versions before API keys did (only id,
 * service_name, user_name, status, service_password, service_user_name, service_specific_credential_id).
 */
export function officialCredential(
  name: string,
  c: ServiceSpecificCredential,
  options: { ageDays?: number; preBedrock?: boolean; dependsOn?: string } = {},
): StateResource {
  const id = `${c.ServiceName}:${c.UserName}:${c.ServiceSpecificCredentialId}`;
  const base: Record<string, unknown> = {
    id,
    service_name: c.ServiceName,
    service_password: c.ServicePassword ?? "",
    service_specific_credential_id: c.ServiceSpecificCredentialId,
    service_user_name: c.ServiceUserName ?? "",
    status: c.Status ?? "Active",
    user_name: c.UserName,
  };
  const attributes = options.preBedrock
    ? base
    : {
        ...base,
        create_date: rfc3339(c.CreateDate),
        credential_age_days: options.ageDays ?? null,
        expiration_date: c.ExpirationDate ? rfc3339(c.ExpirationDate) : "",
        service_credential_alias: c.ServiceCredentialAlias ?? "",
        service_credential_secret: c.ServiceCredentialSecret ?? "",
      };
  return {
    mode: "managed",
    type: "aws_iam_service_specific_credential",
    name,
    provider: OFFICIAL_PROVIDER,
    instances: [
      {
        schema_version: 0,
        attributes,
        sensitive_attributes: options.preBedrock
          ? [[{ type: "get_attr", value: "service_password" }]]
          : [[{ type: "get_attr", value: "service_password" }], [{ type: "get_attr", value: "service_credential_secret" }]],
        private: SDKV2_PRIVATE,
        ...(options.dependsOn ? { dependencies: [options.dependsOn] } : {}),
      },
    ],
  };
}

export function officialStateFile(resources: StateResource[]): string {
  return JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 3, lineage: randomUUID(), outputs: {}, resources, check_results: null }, null, 2);
}

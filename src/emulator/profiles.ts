/**
 * Behaviour switches between real IAM ("aws") and LocalStack 4.x community ("localstack"),
 * whose service-specific-credential support deviates in the ways SPEC §5 lists.
 */
import { randomBase64, randomFrom } from "./ids.ts";

export type ProfileName = "aws" | "localstack";

export interface ServiceInfo {
  /** bedrock/logs issue API keys (alias + secret, optional expiry); the others user + password. */
  apiKey: boolean;
}

export interface Profile {
  name: ProfileName;
  services: ReadonlyMap<string, ServiceInfo>;
  /** IAM's quota ServiceSpecificCredentialsPerUserPerService; undefined = not enforced. */
  credentialsPerUserPerService: number | undefined;
  /** CredentialAgeDays is validated and honoured (aws) or silently ignored (localstack). */
  honoursCredentialAgeDays: boolean;
  /** AllUsers, Marker and MaxItems on ListServiceSpecificCredentials. */
  listPaging: boolean;
  /** LocalStack looks the user and service up unconditionally, so both are required. */
  listRequiresUserAndService: boolean;
  /** Status values UpdateServiceSpecificCredential accepts. */
  updatableStatuses: readonly string[];
  newServicePassword(): string;
}

const API_KEY_SERVICES: [string, ServiceInfo][] = [
  ["bedrock.amazonaws.com", { apiKey: true }],
  ["logs.amazonaws.com", { apiKey: true }],
];
const PASSWORD_SERVICES: [string, ServiceInfo][] = [
  ["codecommit.amazonaws.com", { apiKey: false }],
  ["cassandra.amazonaws.com", { apiKey: false }],
];

export const AWS_PROFILE: Profile = {
  name: "aws",
  services: new Map([...PASSWORD_SERVICES, ...API_KEY_SERVICES]),
  credentialsPerUserPerService: 2,
  honoursCredentialAgeDays: true,
  listPaging: true,
  listRequiresUserAndService: false,
  updatableStatuses: ["Active", "Inactive"],
  newServicePassword: () => randomBase64(32),
};

// Unsupported services: LocalStack's provider answers exactly like real IAM does
// (NoSuchEntity 404 "No such service X is supported for Service Specific Credentials"), not
// with the model's NotSupportedService, so this profile keeps that answer and only narrows
// the set of services.
const LOCALSTACK_PROFILE: Profile = {
  name: "localstack",
  services: new Map(PASSWORD_SERVICES),
  credentialsPerUserPerService: undefined,
  honoursCredentialAgeDays: false,
  listPaging: false,
  listRequiresUserAndService: true,
  updatableStatuses: ["Active", "Expired", "Inactive"],
  // LocalStack's passwords are 59 base64-alphabet characters and a trailing "=".
  newServicePassword: () => `${randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 59)}=`,
};

export function profileByName(name: string): Profile | undefined {
  if (name === "aws") return AWS_PROFILE;
  if (name === "localstack") return LOCALSTACK_PROFILE;
  return undefined;
}

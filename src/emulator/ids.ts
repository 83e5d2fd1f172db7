/**
 * Generators for identifiers and secrets in the shapes IAM and STS use.
 */
import { createHash, randomBytes } from "node:crypto";

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export function randomFrom(alphabet: string, length: number): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** `prefix` + uppercase alphanumerics up to `length` characters (AIDA…, ACCA…, AKIA…). */
function iamId(prefix: string, length: number): string {
  return prefix + randomFrom(UPPER_ALNUM, length - prefix.length);
}

export const newUserId = (): string => iamId("AIDA", 21);
export const newCredentialId = (): string => iamId("ACCA", 21);
export const newAccessKeyId = (): string => iamId("AKIA", 20);
export const newSessionKeyId = (): string => iamId("ASIA", 20);

/** A stable role id for a role ARN, since the emulator keeps no role objects. */
export function roleIdFor(roleArn: string): string {
  const digest = createHash("sha256").update(roleArn).digest();
  let out = "AROA";
  for (let i = 0; out.length < 21; i++) out += UPPER_ALNUM[digest[i % digest.length]! % UPPER_ALNUM.length];
  return out;
}

/** 40 characters, the shape of an AWS secret access key. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString("base64");
}

/** base64 of random bytes: 32 bytes give IAM's 44-character service password shape. */
export function randomBase64(bytes: number): string {
  return randomBytes(bytes).toString("base64");
}

export function newSessionToken(): string {
  return `IQoJb3JpZ2luX2VtdWxhdG9y${randomBytes(180).toString("base64")}`;
}

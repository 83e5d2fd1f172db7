/**
 * Encrypting a credential's secret to an OpenPGP public key (pgp_key), as aws_iam_access_key
 * does: the key is the base64 of a binary public key (`gpg --export KEY | base64`), and the
 * result is the base64 of a binary OpenPGP message that `base64 -d | gpg --decrypt` opens.
 *
 * `openpgp` is a large library: it is imported on first use, so only processes planning or
 * applying a configuration with pgp_key load it.
 */
import type { Validator } from "../framework/validators.ts";
import { asString } from "../values/value.ts";

type OpenPgp = typeof import("openpgp");

export interface PgpRecipient {
  /** The primary key's fingerprint, lower-case hex. */
  readonly fingerprint: string;
  /** The secret's bytes encrypted to the key, as base64 of a binary OpenPGP message. */
  encrypt(secret: string): Promise<string>;
}

/** The key cannot be used; `message` says why, without the key's text. */
export class PgpKeyError extends Error {
  override readonly name = "PgpKeyError";
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** What is wrong with the text before any parsing, or undefined (validate time). */
export function pgpKeyTextProblem(text: string): string | undefined {
  if (text.startsWith("keybase:")) {
    return 'keybase: names are looked up on keybase.io, which this provider does not do (it makes no calls outside AWS). Export the public key and give its base64 instead, for example pgp_key = filebase64("key.gpg") after gpg --export KEY > key.gpg.';
  }
  if (text.includes("-----BEGIN PGP"))
    return 'is an ASCII-armored key; give the base64 of the binary key instead (gpg --export KEY | base64 -w0, or filebase64("key.gpg")).';
  const compact = text.replace(/\s+/g, "");
  if (compact === "" || !BASE64.test(compact) || compact.length % 4 !== 0)
    return "is not base64: give the base64 of a binary OpenPGP public key (gpg --export KEY | base64 -w0).";
  return undefined;
}

export const pgpKeyValidator: Validator = {
  validate(value, path, diags) {
    const text = asString(value);
    if (text === undefined) return;
    const problem = pgpKeyTextProblem(text);
    if (problem) diags.error("Invalid pgp_key", `pgp_key ${problem}`, path);
  },
};

let library: Promise<OpenPgp> | undefined;
const recipients = new Map<string, Promise<PgpRecipient>>();

/** Reads a pgp_key value; rejects with PgpKeyError when it is not a usable public key. */
export function pgpRecipient(text: string): Promise<PgpRecipient> {
  let found = recipients.get(text);
  if (!found) {
    found = readRecipient(text);
    recipients.set(text, found);
  }
  return found;
}

async function readRecipient(text: string): Promise<PgpRecipient> {
  const problem = pgpKeyTextProblem(text);
  if (problem) throw new PgpKeyError(`pgp_key ${problem}`);
  library ??= import("openpgp");
  const openpgp = await library;
  let key: Awaited<ReturnType<OpenPgp["readKey"]>>;
  try {
    key = await openpgp.readKey({ binaryKey: Buffer.from(text.replace(/\s+/g, ""), "base64") });
  } catch (err) {
    throw new PgpKeyError(`pgp_key is not an OpenPGP public key: ${err instanceof Error ? err.message : String(err)}.`);
  }
  if (key.isPrivate()) throw new PgpKeyError("pgp_key holds a private key; give the public key only (gpg --export, not --export-secret-keys).");
  try {
    await key.getEncryptionKey();
  } catch (err) {
    throw new PgpKeyError(`pgp_key ${key.getFingerprint()} cannot encrypt: ${err instanceof Error ? err.message : String(err)}.`);
  }
  return {
    fingerprint: key.getFingerprint(),
    async encrypt(secret) {
      const message = await openpgp.createMessage({ binary: Buffer.from(secret, "utf8") });
      const encrypted = await openpgp.encrypt({ message, encryptionKeys: key, format: "binary" });
      return Buffer.from(encrypted).toString("base64");
    },
  };
}

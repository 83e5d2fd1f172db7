/**
 * pgp_key with real Terraform (issue 14): the secret from Create, and from a reset, is stored
 * only encrypted, and the matching private key decrypts exactly what IAM holds; keybase: and
 * keys that are not usable are refused before anything is created.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AcceptanceTarget } from "../harness/index.ts";
import { acceptanceTargets, runAcceptanceCase, uniqueName } from "../harness/index.ts";
import { INSTALL_MODES, R, credentialConfig, emulatorCredential, expectSameSecret } from "./credential-features-support.ts";

const CASE_TIMEOUT_MS = 300_000;
const ADDRESS = `${R}.test`;

let keys: { publicKey: string; privateKey: openpgp.PrivateKey; fingerprint: string };

beforeAll(async () => {
  const pair = await openpgp.generateKey({ userIDs: [{ name: "acceptance test" }], format: "binary" });
  const privateKey = await openpgp.readPrivateKey({ binaryKey: pair.privateKey });
  keys = { publicKey: Buffer.from(pair.publicKey).toString("base64"), privateKey, fingerprint: privateKey.getFingerprint() };
});

async function decrypt(encrypted: unknown): Promise<string> {
  expect(typeof encrypted).toBe("string");
  const message = await openpgp.readMessage({ binaryMessage: Buffer.from(String(encrypted), "base64") });
  const { data } = await openpgp.decrypt({ message, decryptionKeys: keys.privateKey, format: "binary" });
  return Buffer.from(data as Uint8Array).toString("utf8");
}

for (const spec of acceptanceTargets()) {
  describe(`${R} pgp_key on ${spec.name}`, () => {
    let target: AcceptanceTarget;
    beforeAll(async () => {
      target = await spec.start();
    });
    afterAll(async () => {
      await target?.close();
    });

    for (const mode of INSTALL_MODES) {
      it(
        `${mode}: the password is stored only encrypted, and decrypts to IAM's, after create and after a reset`,
        async (t) => {
          if (!target.control) t.skip(`not on ${target.name}: needs the emulator's control API to read IAM's password`);
          const user = uniqueName("pgp");
          const config = (trigger: string) =>
            credentialConfig(mode, user, `  service_name = "codecommit.amazonaws.com"\n  pgp_key = "${keys.publicKey}"\n  reset_trigger = "${trigger}"`);
          let first: unknown;
          const check = async (v: Record<string, unknown>, dir: string) => {
            expect(v.service_password).toBeNull();
            expect(v.service_credential_secret).toBeNull();
            expect(v.encrypted_service_credential_secret).toBeNull();
            expect(v.key_fingerprint).toBe(keys.fingerprint);
            const inIam = (await emulatorCredential(target, v.service_specific_credential_id)).servicePassword;
            expectSameSecret(await decrypt(v.encrypted_service_password), inIam, "decrypted password");
            const stateFile = await readFile(join(dir, "terraform.tfstate"), "utf8");
            expect(stateFile.includes(String(inIam)), "the state file holds no plain-text password").toBe(false);
          };
          await runAcceptanceCase({
            target,
            steps: [
              {
                config: config("1"),
                check: async (s, ctx) => {
                  first = s.attr(ADDRESS, "encrypted_service_password");
                  await check(s.resource(ADDRESS).values, ctx.workdir.dir);
                },
              },
              {
                config: config("2"),
                check: async (s, ctx) => {
                  expect(s.attr(ADDRESS, "encrypted_service_password")).not.toBe(first);
                  await check(s.resource(ADDRESS).values, ctx.workdir.dir);
                },
              },
            ],
          });
        },
        CASE_TIMEOUT_MS,
      );
    }

    it(
      "an API key's secret is stored encrypted and decrypts to IAM's",
      async (t) => {
        const missing = target.missing("api-keys", "control-api");
        if (missing) t.skip(`not on ${target.name}: ${missing}`);
        const user = uniqueName("pgp-key");
        await runAcceptanceCase({
          target,
          steps: [
            {
              config: credentialConfig("own address", user, `  service_name = "bedrock.amazonaws.com"\n  pgp_key = "${keys.publicKey}"`),
              check: async (s) => {
                const v = s.resource(ADDRESS).values;
                expect(v.service_credential_secret).toBeNull();
                expect(v.encrypted_service_password).toBeNull();
                expect(v.key_fingerprint).toBe(keys.fingerprint);
                expectSameSecret(
                  await decrypt(v.encrypted_service_credential_secret),
                  (await emulatorCredential(target, v.service_specific_credential_id)).serviceCredentialSecret,
                  "decrypted secret",
                );
              },
            },
          ],
        });
      },
      CASE_TIMEOUT_MS,
    );

    it(
      "keybase: is refused at validate, and a key that is not a public key at plan, before anything is created",
      async () => {
        const user = uniqueName("pgp-bad");
        const notAKey = Buffer.from("this is not an OpenPGP key at all").toString("base64");
        const privateOnly = Buffer.from(keys.privateKey.write()).toString("base64");
        const withKey = (key: string) => credentialConfig("drop-in", user, `  service_name = "codecommit.amazonaws.com"\n  pgp_key = "${key}"`);
        await runAcceptanceCase({
          target,
          steps: [
            { config: withKey("keybase:someone"), planOnly: true, expectError: /Invalid pgp_key[\s\S]*keybase: names are looked up on keybase\.io/ },
            {
              // terraform apply: the plan fails, so neither the user nor a credential is created.
              config: withKey(notAKey),
              expectError: /Invalid pgp_key[\s\S]*not an OpenPGP public key/,
              check: async (state) => {
                expect(state.resources()).toEqual([]);
                if (target.control) expect((await target.control.state()).users.some((u) => u.name === user)).toBe(false);
              },
            },
            { config: withKey(privateOnly), planOnly: true, expectError: /Invalid pgp_key[\s\S]*holds a private key/ },
          ],
        });
      },
      CASE_TIMEOUT_MS,
    );
  });
}

// The core acceptance cases once more, with the single executable of `npm run package` (the
// pinned Node.js, the main bundle and the implementation asset with their code caches) in place of the dist/ launcher, for
// both addresses it answers to: create, refresh and import by both forms; an in-place update
// that keeps the write-once password; a credential deleted behind Terraform's back (the own
// address is covered by dev-override --sea). The whole suite can run this way too:
// TF_ACC_PROVIDER_EXECUTABLE=<path> npx vitest run.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeleteServiceSpecificCredentialCommand } from "@aws-sdk/client-iam";
import type { AcceptanceTarget } from "../harness/index.ts";
import { acceptanceTargets, runAcceptanceCase, uniqueName } from "../harness/index.ts";
import { DEFAULT_MIRROR, PINNED_NODE, ensureMirrors, run } from "./support.ts";

const R = "aws_iam_service_specific_credential";
const SECRETS = ["service_password", "service_credential_secret"];
const EXECUTABLE = DEFAULT_MIRROR.seaExecutable;

let target: AcceptanceTarget;

beforeAll(async () => {
  await ensureMirrors([DEFAULT_MIRROR]);
  // The emulator's AWS profile; the cases below need nothing only it has.
  const started = await acceptanceTargets()[0]!.start();
  target = { ...started, providerExecutable: EXECUTABLE };
}, 600_000);

afterAll(async () => {
  await target?.close();
});

function credential(user: string, extra = ""): string {
  return `
resource "aws_iam_user" "test" {
  name = ${JSON.stringify(user)}
}

resource "${R}" "test" {
  user_name    = aws_iam_user.test.name
  service_name = "codecommit.amazonaws.com"
${extra}}
`;
}

describe("core acceptance cases with the single executable", () => {
  it("runs on the pinned Node.js", async () => {
    const r = await run(EXECUTABLE, ["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(` on Node\\.js v${PINNED_NODE.replace(/\./g, "\\.")}\\n$`));
  });

  it("creates a credential whose password survives refresh, and imports it by both forms", async () => {
    const user = uniqueName("sea-basic");
    await runAcceptanceCase({
      target,
      steps: [
        {
          config: credential(user),
          check: (s) => {
            const v = s.resource(`${R}.test`).values;
            expect(v.status).toBe("Active");
            expect(String(v.service_password ?? "").length).toBeGreaterThan(10);
            expect(v.id).toBe(`codecommit.amazonaws.com:${user}:${v.service_specific_credential_id as string}`);
          },
        },
        { import: "cli", resourceName: `${R}.test`, verifyIgnore: SECRETS },
        { import: "block", resourceName: `${R}.test`, verifyIgnore: SECRETS },
      ],
    });
  });

  it("updates the status in place and keeps the password; recreates a credential deleted outside Terraform", async () => {
    const user = uniqueName("sea-update");
    let password: unknown;
    await runAcceptanceCase({
      target,
      steps: [
        {
          config: credential(user),
          check: (s) => {
            password = s.attr(`${R}.test`, "service_password");
          },
        },
        {
          config: credential(user, '  status       = "Inactive"\n'),
          check: (s) => {
            expect(s.attr(`${R}.test`, "status")).toBe("Inactive");
            expect(s.attr(`${R}.test`, "service_password")).toBe(password);
          },
        },
        {
          config: credential(user, '  status       = "Inactive"\n'),
          planOnly: true,
          expectNonEmptyPlan: true,
          preConfig: async (ctx) => {
            const id = String((await ctx.state()).attr(`${R}.test`, "service_specific_credential_id"));
            await ctx.target.iam().send(new DeleteServiceSpecificCredentialCommand({ UserName: user, ServiceSpecificCredentialId: id }));
          },
          planCheck: (plan) => expect(plan.actions(`${R}.test`)).toEqual(["create"]),
        },
      ],
    });
  });

  it("holds the implementation as a second bundle that takes the logger, and so its secret redactor, from the main script", async () => {
    const dir = dirname(EXECUTABLE);
    // esbuild writes a class declaration as `var Name=class`.
    const main = await readFile(join(dir, "provider.cjs"), "utf8");
    const implementation = await readFile(join(dir, "implementation.cjs"), "utf8");
    expect(main).toMatch(/\bRedactor=class\b/);
    expect(implementation).not.toMatch(/\bRedactor=class\b/);
    expect(implementation).toContain('require("provider-shared:src/logging/logger.ts")');
    // The framework is not in the main script: it is what the handshake no longer waits for.
    expect(main).not.toMatch(/\bFrameworkServer=class\b/);
    expect(implementation).toMatch(/\bFrameworkServer=class\b/);
  });

  it("keeps secrets out of a trace log", async () => {
    const user = uniqueName("sea-trace");
    const dir = await mkdtemp(join(tmpdir(), "sea-trace-"));
    const log = join(dir, "provider.log");
    let password = "";
    try {
      await runAcceptanceCase({
        target: { ...target, env: { ...target.env, TF_LOG_PROVIDER: "trace", TF_LOG_PATH: log } },
        steps: [
          {
            config: credential(user),
            check: (s) => {
              password = String(s.attr(`${R}.test`, "service_password") ?? "");
            },
          },
        ],
      });
      expect(password.length).toBeGreaterThan(10);
      const text = await readFile(log, "utf8");
      // The log holds the implementation's own trace lines, so it had the chance to leak.
      expect(text).toMatch(/ApplyResourceChange/);
      expect(text).toMatch(/plan pipeline|CreateServiceSpecificCredential/);
      expect(text.includes(password)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

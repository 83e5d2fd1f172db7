// Configurations for the issue-14 acceptance cases, in either install mode: drop-in (the
// hashicorp/aws address) or the provider's own address (iamssc/awsssc, `provider = awsssc`).
import { expect } from "vitest";
import type { AcceptanceTarget, PlanView } from "../harness/index.ts";

export const R = "aws_iam_service_specific_credential";

export type InstallMode = "drop-in" | "own address";
export const INSTALL_MODES: readonly InstallMode[] = ["drop-in", "own address"];

/** A user and one credential `test` with `args`; `provider` holds the provider block's arguments. */
export function credentialConfig(mode: InstallMode, user: string, args: string, provider = ""): string {
  const own = mode === "own address";
  const route = own ? "  provider = awsssc\n" : "";
  return `${own ? 'terraform {\n  required_providers {\n    awsssc = { source = "iamssc/awsssc" }\n  }\n}\n' : ""}
provider "${own ? "awsssc" : "aws"}" {
${provider}
}

resource "aws_iam_user" "test" {
${route}  name = ${JSON.stringify(user)}
}

resource "${R}" "test" {
${route}  user_name = aws_iam_user.test.name
${args}
}
`;
}

/** The provider that manages the credential, as the state names it. */
export function expectedProvider(mode: InstallMode): RegExp {
  return mode === "own address" ? /iamssc\/awsssc/ : /hashicorp\/aws/;
}

/** Attributes the plan shows as "known after apply" for an address. */
export function unknownAfter(plan: PlanView, address: string): Record<string, unknown> {
  const change = plan.json.resource_changes?.find((c) => c.address === address)?.change as { after_unknown?: Record<string, unknown> } | undefined;
  return change?.after_unknown ?? {};
}

export async function emulatorCredential(target: AcceptanceTarget, id: unknown) {
  const state = await target.control!.state();
  const found = state.credentials.find((c) => c.id === id);
  expect(found, `credential ${String(id)} in the emulator`).toBeDefined();
  return found!;
}

/** Compares two secrets without printing either. */
export function expectSameSecret(actual: unknown, expected: unknown, what: string): void {
  expect(typeof actual === "string" && actual.length > 10, `${what} is a non-empty string`).toBe(true);
  expect(actual === expected, `${what} matches`).toBe(true);
}

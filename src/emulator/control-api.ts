/**
 * Test-only JSON endpoints under /__emulator/: inspect and reset state, move the clock,
 * inject faults, limit the size of List pages, and seed users or credentials without going
 * through signed requests.
 */
import type { EmulatorCore } from "./emulator-core.ts";
import { FaultSpecError, parseFaultSpec } from "./faults.ts";
import { IamError } from "./iam-errors.ts";
import { operations } from "./operation-registry.ts";
import { QueryParams } from "./query-protocol.ts";

export const CONTROL_PREFIX = "/__emulator";

export interface ControlResponse {
  status: number;
  body: unknown;
}

const ok = (body: unknown, status = 200): ControlResponse => ({ status, body });
const fail = (status: number, message: string): ControlResponse => ({ status, body: { error: message } });

function parseJson(body: Buffer): unknown {
  const text = body.toString("utf8").trim();
  if (text === "") return {};
  return JSON.parse(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Runs an IAM operation as the account root, so seeded objects pass the same validation. */
function runAsRoot(core: EmulatorCore, action: string, params: Record<string, string>): ControlResponse {
  const definition = operations.get(action)!;
  try {
    definition.handler({
      params: new QueryParams(new URLSearchParams(params).toString()),
      state: core.state,
      profile: core.profile,
      accountId: core.accountId,
      clock: core.clock,
      now: core.clock.now(),
      caller: { kind: "root", accessKeyId: "" },
    });
  } catch (error) {
    if (error instanceof IamError) return { status: error.status, body: { error: error.message, code: error.code } };
    throw error;
  }
  return ok(undefined, 201);
}

function seedUser(core: EmulatorCore, input: unknown): ControlResponse {
  if (!isRecord(input) || typeof input.name !== "string") return fail(400, '"name" (string) is required');
  const params: Record<string, string> = { UserName: input.name };
  if (typeof input.path === "string") params.Path = input.path;
  if (isRecord(input.tags)) {
    Object.entries(input.tags).forEach(([key, value], i) => {
      params[`Tags.member.${i + 1}.Key`] = key;
      params[`Tags.member.${i + 1}.Value`] = String(value);
    });
  }
  const result = runAsRoot(core, "CreateUser", params);
  if (result.status !== 201) return result;
  const name = input.name.toLowerCase();
  return ok(
    core.snapshot().users.find((u) => u.name.toLowerCase() === name),
    201,
  );
}

function seedCredential(core: EmulatorCore, input: unknown): ControlResponse {
  if (!isRecord(input) || typeof input.userName !== "string" || typeof input.serviceName !== "string") {
    return fail(400, '"userName" and "serviceName" (strings) are required');
  }
  const params: Record<string, string> = { UserName: input.userName, ServiceName: input.serviceName };
  if (input.credentialAgeDays !== undefined) params.CredentialAgeDays = String(input.credentialAgeDays);
  const before = new Set(core.state.credentials.keys());
  const result = runAsRoot(core, "CreateServiceSpecificCredential", params);
  if (result.status !== 201) return result;
  const created = core.snapshot().credentials.find((c) => !before.has(c.id));
  return ok(created, 201);
}

function setPageSizeLimit(core: EmulatorCore, input: unknown): ControlResponse {
  if (!isRecord(input) || !("maxItems" in input)) return fail(400, '"maxItems" (1-1000, or null for no limit) is required');
  const { maxItems } = input;
  if (maxItems !== null && (!Number.isInteger(maxItems) || (maxItems as number) < 1 || (maxItems as number) > 1000)) {
    return fail(400, '"maxItems" must be a whole number from 1 to 1000, or null');
  }
  core.pageSizeLimit = maxItems === null ? undefined : (maxItems as number);
  return ok({ maxItems: core.pageSizeLimit ?? null });
}

function advanceClock(core: EmulatorCore, input: unknown): ControlResponse {
  if (!isRecord(input)) return fail(400, "expected a JSON object");
  const { advanceDays, advanceSeconds } = input;
  if (advanceDays === undefined && advanceSeconds === undefined) return fail(400, '"advanceDays" or "advanceSeconds" is required');
  for (const [name, value] of [
    ["advanceDays", advanceDays],
    ["advanceSeconds", advanceSeconds],
  ] as const) {
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < 0)) {
      return fail(400, `"${name}" must be a non-negative number`);
    }
  }
  if (typeof advanceDays === "number") core.clock.advanceDays(advanceDays);
  if (typeof advanceSeconds === "number") core.clock.advance(advanceSeconds * 1000);
  return ok({ now: core.snapshot().now });
}

export function handleControl(core: EmulatorCore, method: string, path: string, body: Buffer): ControlResponse {
  let input: unknown;
  try {
    input = method === "POST" ? parseJson(body) : undefined;
  } catch {
    return fail(400, "the request body is not valid JSON");
  }
  const route = path.slice(CONTROL_PREFIX.length).replace(/\/+$/, "") || "/";
  const faultId = /^\/faults\/([^/]+)$/.exec(route)?.[1];

  switch (`${method} ${faultId ? "/faults/:id" : route}`) {
    case "GET /health":
      return ok({ ok: true, profile: core.profile.name, accountId: core.accountId, strictAuth: core.strictAuth });
    case "GET /state":
      return ok(core.snapshot());
    case "POST /reset":
      core.reset();
      return ok({ ok: true });
    case "GET /clock":
      return ok({ now: core.snapshot().now });
    case "POST /clock":
      return advanceClock(core, input);
    case "GET /paging":
      return ok({ maxItems: core.pageSizeLimit ?? null });
    case "POST /paging":
      return setPageSizeLimit(core, input);
    case "GET /faults":
      return ok({ faults: core.faults.list() });
    case "POST /faults":
      try {
        const spec = parseFaultSpec(input);
        // A misspelt action would silently never fire.
        if (spec.action !== "*" && !operations.has(spec.action)) return fail(400, `unknown action "${spec.action}"`);
        return ok(core.faults.add(spec), 201);
      } catch (error) {
        if (error instanceof FaultSpecError) return fail(400, error.message);
        throw error;
      }
    case "DELETE /faults":
      return ok({ cleared: core.faults.clear() });
    case "DELETE /faults/:id":
      return core.faults.remove(decodeURIComponent(faultId!)) ? ok({ removed: faultId }) : fail(404, `no fault ${faultId}`);
    case "POST /users":
      return seedUser(core, input);
    case "POST /credentials":
      return seedCredential(core, input);
    default:
      return fail(404, `no control endpoint ${method} ${path}`);
  }
}

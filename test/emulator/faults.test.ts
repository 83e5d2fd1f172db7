import { CreateServiceSpecificCredentialCommand, CreateUserCommand, GetUserCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { describe, expect, test } from "vitest";
import { FaultRegistry, parseFaultSpec } from "../../src/emulator/faults.ts";
import { control, failure, iamClient, useEmulator } from "./support.ts";

const env = useEmulator();

async function addFault(spec: Record<string, unknown>): Promise<string> {
  const response = await control(env.emulator, "POST", "/faults", spec);
  expect(response.status).toBe(201);
  return response.json.id;
}

describe("fault injection through the control API", () => {
  test("count: the next N matching calls fail with the given error, then calls succeed", async () => {
    await addFault({ action: "ListUsers", code: "Throttling", status: 400, count: 2, message: "Rate exceeded" });
    for (let i = 0; i < 2; i++) {
      const error = await failure(env.iam.send(new ListUsersCommand({})));
      expect(error.Code).toBe("Throttling");
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe("Rate exceeded");
    }
    expect((await env.iam.send(new ListUsersCommand({}))).$metadata.httpStatusCode).toBe(200);
    // Other actions were never affected.
    const faults = (await control(env.emulator, "GET", "/faults")).json.faults;
    expect(faults).toEqual([expect.objectContaining({ action: "ListUsers", fired: 2, remaining: 0 })]);
  });

  test("the SDK retries server faults; the call counter shows every attempt", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
    await addFault({ action: "GetUser", code: "ServiceFailure", count: 2 });
    const retrying = iamClient(env.emulator, { maxAttempts: 3 });
    const out = await retrying.send(new GetUserCommand({ UserName: "alice" }));
    retrying.destroy();
    expect(out.$metadata.attempts).toBe(3);
    const state = (await control(env.emulator, "GET", "/state")).json;
    expect(state.calls).toEqual({ CreateUser: 1, GetUser: 3 });
  });

  test("the default status of a code follows IAM; ServiceFailure is a 500", async () => {
    await addFault({ action: "*", code: "ServiceFailure", count: 1 });
    const error = await failure(env.iam.send(new ListUsersCommand({})));
    expect(error.name).toBe("ServiceFailureException");
    expect(error.$metadata.httpStatusCode).toBe(500);
  });

  test("rate with a seed fails a repeatable share of calls", async () => {
    async function pattern(): Promise<boolean[]> {
      await control(env.emulator, "DELETE", "/faults");
      await addFault({ action: "ListUsers", code: "Throttling", rate: 0.3, seed: 42 });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 40; i++) {
        outcomes.push(
          await env.iam.send(new ListUsersCommand({})).then(
            () => true,
            () => false,
          ),
        );
      }
      return outcomes;
    }
    const first = await pattern();
    const second = await pattern();
    expect(second).toEqual(first);
    const failures = first.filter((ok) => !ok).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(25);
    const fired = (await control(env.emulator, "GET", "/faults")).json.faults[0].fired;
    expect(fired).toBe(failures);
  });

  test("delayMs answers late but correctly", async () => {
    await addFault({ action: "ListUsers", delayMs: 300, count: 1 });
    let started = Date.now();
    expect((await env.iam.send(new ListUsersCommand({}))).$metadata.httpStatusCode).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    started = Date.now();
    await env.iam.send(new ListUsersCommand({}));
    expect(Date.now() - started).toBeLessThan(250);
  });

  test("drop before: the connection dies and the operation never ran", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
    await addFault({ action: "CreateServiceSpecificCredential", drop: "before", count: 1 });
    const error = await failure(env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "alice", ServiceName: "codecommit.amazonaws.com" })));
    expect(error.$metadata?.httpStatusCode).toBeUndefined();
    expect(String(error.code ?? error.message)).toMatch(/ECONNRESET|socket hang up/);
    expect(env.emulator.state().credentials).toEqual([]);
  });

  test("drop after: the connection dies but the operation took effect", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
    await addFault({ action: "CreateServiceSpecificCredential", drop: "after", count: 1 });
    const error = await failure(env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "alice", ServiceName: "codecommit.amazonaws.com" })));
    expect(error.$metadata?.httpStatusCode).toBeUndefined();
    const credentials = env.emulator.state().credentials;
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.userName).toBe("alice");
    // The server is still healthy afterwards.
    expect((await env.iam.send(new ListUsersCommand({}))).Users).toHaveLength(1);
  });

  test("faults are listed with ids and fire counts, and can be removed one by one or all at once", async () => {
    const a = await addFault({ action: "GetUser", code: "Throttling" });
    const b = await addFault({ action: "ListUsers", delayMs: 1 });
    expect(a).not.toBe(b);
    await env.iam.send(new ListUsersCommand({}));
    let faults = (await control(env.emulator, "GET", "/faults")).json.faults;
    expect(faults.map((f: { id: string; fired: number }) => [f.id, f.fired])).toEqual([
      [a, 0],
      [b, 1],
    ]);
    expect((await control(env.emulator, "DELETE", `/faults/${a}`)).status).toBe(200);
    expect((await control(env.emulator, "DELETE", `/faults/${a}`)).status).toBe(404);
    expect((await control(env.emulator, "DELETE", "/faults")).json).toEqual({ cleared: 1 });
    faults = (await control(env.emulator, "GET", "/faults")).json.faults;
    expect(faults).toEqual([]);
  });

  test("invalid fault descriptions are refused with 400", async () => {
    for (const spec of [
      {},
      { action: "ListUsers" },
      { action: "ListUsers", code: "Throttling", count: 0 },
      { action: "ListUsers", code: "Throttling", rate: 1.5 },
      { action: "ListUsers", code: "Throttling", count: 1, rate: 0.5 },
      { action: "ListUsers", drop: "sideways" },
      { action: "ListUsers", code: "Throttling", status: 200 },
      { action: "ListUsers", code: "Throttling", typo: true },
      { action: "ListUser", code: "Throttling" },
    ]) {
      const response = await control(env.emulator, "POST", "/faults", spec);
      expect(response.status, JSON.stringify(spec)).toBe(400);
      expect(typeof response.json.error).toBe("string");
    }
  });
});

describe("FaultRegistry", () => {
  test("several faults combine: delays add up, the first error or drop decides", () => {
    const registry = new FaultRegistry();
    registry.add(parseFaultSpec({ action: "*", delayMs: 10 }));
    registry.add(parseFaultSpec({ action: "A", code: "Throttling", count: 1 }));
    registry.add(parseFaultSpec({ action: "A", drop: "after", delayMs: 5 }));
    const first = registry.decide("A")!;
    expect(first.delayMs).toBe(15);
    expect(first.error?.code).toBe("Throttling");
    expect(first.drop).toBeUndefined();
    const second = registry.decide("A")!;
    expect(second.error).toBeUndefined();
    expect(second.drop).toBe("after");
    expect(registry.decide("B")).toEqual({ delayMs: 10 });
  });

  test("the same seed gives the same sequence; rate 0 never fires and rate 1 always does", () => {
    const sequence = (seed: number) => {
      const registry = new FaultRegistry();
      registry.add({ action: "*", code: "Throttling", rate: 0.5, seed });
      return Array.from({ length: 64 }, () => registry.decide("X") !== undefined);
    };
    expect(sequence(7)).toEqual(sequence(7));
    expect(sequence(7)).not.toEqual(sequence(8));
    const never = new FaultRegistry();
    never.add({ action: "*", code: "Throttling", rate: 0 });
    const always = new FaultRegistry();
    always.add({ action: "*", code: "Throttling", rate: 1 });
    for (let i = 0; i < 20; i++) {
      expect(never.decide("X")).toBeUndefined();
      expect(always.decide("X")?.error?.status).toBe(400);
    }
  });
});

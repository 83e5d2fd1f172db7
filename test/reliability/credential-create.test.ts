/**
 * The create-without-duplicates logic (src/resources/credential-create.ts) against a scripted
 * IAM, for the outcomes an emulator run cannot easily stage: several strangers appearing at
 * once, another process's credential appearing, a late credential after a timeout, Ctrl-C, server errors to the end.
 */
import { describe, expect, it } from "vitest";
import type { IamApi, ServiceSpecificCredential, ServiceSpecificCredentialMetadata } from "../../src/aws/iam-api.ts";
import { ConnectionFailedError, RequestTimeoutError } from "../../src/aws/iam-api.ts";
import { CreateOutcomeError, CredentialCreation, type CreateTimings } from "../../src/resources/credential-create.ts";
import { createLogger } from "../../src/logging/logger.ts";

const quiet = createLogger({ level: "off", module: "test" });
const FAST: CreateTimings = { settleMs: 30, pollMs: 5, interruptGraceMs: 60 };

type CreateBehaviour = "ok" | "lost-after" | "lost-before" | "server-error" | "timeout" | "timeout-late" | "hang";

/** An in-memory IAM whose Create calls follow a script. */
class ScriptedIam {
  credentials: ServiceSpecificCredentialMetadata[] = [];
  creates = 0;
  lists = 0;
  deletes: string[] = [];
  failDelete = false;
  private n = 0;
  settings = { propagationTimeoutMs: 80, maxRetries: 3 };
  constructor(private readonly script: CreateBehaviour[]) {}

  private make(): ServiceSpecificCredential {
    const id = `ACCA${String(++this.n).padStart(17, "0")}`;
    const c = {
      ServiceSpecificCredentialId: id,
      UserName: "u",
      ServiceName: "codecommit.amazonaws.com",
      Status: "Active" as const,
      CreateDate: new Date(),
      ServiceUserName: "u-at-1",
    };
    this.credentials.push(c);
    return { ...c, ServicePassword: `password-${id}` };
  }

  async listServiceSpecificCredentials(): Promise<ServiceSpecificCredentialMetadata[]> {
    this.lists++;
    return [...this.credentials];
  }

  async deleteServiceSpecificCredential(_user: string, id: string): Promise<void> {
    if (this.failDelete) throw Object.assign(new Error("not allowed"), { name: "AccessDenied" });
    this.deletes.push(id);
    this.credentials = this.credentials.filter((c) => c.ServiceSpecificCredentialId !== id);
  }

  async createServiceSpecificCredential(_input: unknown, signal?: AbortSignal): Promise<ServiceSpecificCredential> {
    const step = this.script[this.creates++] ?? "ok";
    const lost = new ConnectionFailedError("CreateServiceSpecificCredential", "ECONNRESET", 1, undefined, new Error("socket hang up"));
    switch (step) {
      case "ok":
        return this.make();
      case "lost-after":
        this.make();
        throw lost;
      case "lost-before":
        throw lost;
      case "server-error":
        throw Object.assign(new Error("We encountered an internal error."), { name: "ServiceFailure", $metadata: { httpStatusCode: 500 } });
      case "timeout":
        throw new RequestTimeoutError("CreateServiceSpecificCredential", 1000, 1, undefined);
      case "timeout-late":
        setTimeout(() => this.make(), 20);
        throw new RequestTimeoutError("CreateServiceSpecificCredential", 1000, 1, undefined);
      case "hang":
        return new Promise((_resolve, reject) => {
          signal?.addEventListener("abort", () => {
            // IAM carries the request out although the client went away.
            setTimeout(() => this.make(), 10);
            reject(Object.assign(new Error("Request aborted"), { name: "AbortError" }));
          });
        });
    }
  }
}

function creation(iam: ScriptedIam, signal = new AbortController().signal) {
  return new CredentialCreation(iam as unknown as IamApi, { userName: "u", serviceName: "codecommit.amazonaws.com" }, signal, quiet, FAST);
}

/** A credential of user u as IAM lists it. */
function listed(id: string): ServiceSpecificCredentialMetadata {
  return { ServiceSpecificCredentialId: id, UserName: "u", ServiceName: "codecommit.amazonaws.com", Status: "Active", CreateDate: new Date() };
}

async function failure(p: Promise<unknown>): Promise<CreateOutcomeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CreateOutcomeError);
  return err as CreateOutcomeError;
}

describe("CredentialCreation", () => {
  it("a credential made by a lost answer is neither deleted nor adopted: it is named, with how to import or delete it", async () => {
    const iam = new ScriptedIam(["lost-after", "ok"]);
    const err = await failure(creation(iam).create());
    expect(iam.creates).toBe(1);
    expect(iam.deletes).toEqual([]);
    expect(err.candidates).toEqual(["ACCA00000000000000001"]);
    expect(err.message).toContain("terraform import aws_iam_service_specific_credential.NAME codecommit.amazonaws.com:u:ACCA00000000000000001");
    expect(err.message).toContain("aws iam delete-service-specific-credential --user-name u --service-specific-credential-id ACCA00000000000000001");
    expect(err.message).not.toContain("password-");
  });

  it("another process's credential appearing while our request was dropped before reaching IAM is left alone", async () => {
    // Issue 13 item 1: indistinguishable from a lost answer, so it must not be taken for ours.
    const iam = new ScriptedIam(["lost-before", "ok"]);
    const original = iam.createServiceSpecificCredential.bind(iam);
    iam.createServiceSpecificCredential = async (input, signal) => {
      iam.credentials.push(listed("ACCAOTHERPROCESS00001"));
      return original(input, signal);
    };
    const err = await failure(creation(iam).create());
    expect(iam.deletes).toEqual([]);
    expect(iam.creates).toBe(1);
    expect(err.candidates).toEqual(["ACCAOTHERPROCESS00001"]);
    expect(iam.credentials.map((c) => c.ServiceSpecificCredentialId)).toEqual(["ACCAOTHERPROCESS00001"]);
  });

  it("credentials the user already had are never taken for ours", async () => {
    const iam = new ScriptedIam(["lost-before", "ok"]);
    iam.credentials.push(listed("ACCAEXISTING000000001"));
    await creation(iam).create();
    expect(iam.deletes).toEqual([]);
    expect(iam.credentials).toHaveLength(2);
  });

  it("two strangers appearing at once: neither is touched, both named", async () => {
    const iam = new ScriptedIam(["lost-before"]);
    const original = iam.listServiceSpecificCredentials.bind(iam);
    let calls = 0;
    iam.listServiceSpecificCredentials = async () => {
      if (++calls === 2) {
        for (const id of ["ACCASTRANGER000000001", "ACCASTRANGER000000002"]) {
          iam.credentials.push(listed(id));
        }
      }
      return original();
    };
    const err = await failure(creation(iam).create());
    expect(err.candidates).toEqual(["ACCASTRANGER000000001", "ACCASTRANGER000000002"]);
    expect(err.message).toMatch(/ACCASTRANGER000000001, ACCASTRANGER000000002/);
    expect(iam.deletes).toEqual([]);
  });

  it("server errors with nothing created are retried up to max_retries, then reported", async () => {
    const iam = new ScriptedIam(["server-error", "server-error", "ok"]);
    await creation(iam).create();
    expect(iam.creates).toBe(3);

    const always = new ScriptedIam(Array(10).fill("server-error"));
    const err = await failure(creation(always).create());
    expect(always.creates).toBe(4); // 1 + max_retries
    expect(err.message).toMatch(/every one of 4 attempts[\s\S]*none was left behind/);
  });

  it("after a timeout, a credential that shows up late is named, not made again nor adopted", async () => {
    const iam = new ScriptedIam(["timeout-late"]);
    const err = await failure(creation(iam).create());
    expect(iam.creates).toBe(1);
    expect(iam.deletes).toEqual([]);
    expect(err.candidates).toEqual(["ACCA00000000000000001"]);
    expect(err.message).toMatch(/did not answer CreateServiceSpecificCredential within 1 s/);
  });

  it("after a timeout with nothing visible, no second create; the error says it may still appear", async () => {
    const iam = new ScriptedIam(["timeout"]);
    const err = await failure(creation(iam).create());
    expect(iam.creates).toBe(1);
    expect(err.candidates).toEqual([]);
    expect(err.message).toMatch(/may still be carried out[\s\S]*aws iam list-service-specific-credentials --user-name u/);
  });

  it("Ctrl-C during a create: a credential IAM made anyway is named, not adopted", async () => {
    const iam = new ScriptedIam(["hang"]);
    const stop = new AbortController();
    const pending = creation(iam, stop.signal).create();
    setTimeout(() => stop.abort(new Error("Terraform asked the provider to stop")), 10);
    const err = await failure(pending);
    expect(err.summary).toBe("Interrupted; a credential appeared that may be the cancelled one");
    expect(err.candidates).toEqual(["ACCA00000000000000001"]);
    expect(iam.deletes).toEqual([]);
  });

  it("started from the previous create's baseline, it creates without listing, and hands on a baseline with its credential", async () => {
    const iam = new ScriptedIam(["ok"]);
    iam.credentials.push(listed("ACCAEXISTING000000001"));
    const c = creation(iam);
    c.startFrom({ ids: new Set(["ACCAEXISTING000000001"]), listedAt: 42 });
    const made = await c.create();
    expect(iam.lists).toBe(0);
    expect(iam.creates).toBe(1);
    const next = c.baselineAfter(made);
    expect([...next.ids]).toEqual(["ACCAEXISTING000000001", made.ServiceSpecificCredentialId]);
    expect(next.listedAt).toBe(42);
  });

  it("without a baseline it lists before it creates", async () => {
    const iam = new ScriptedIam(["ok"]);
    const c = creation(iam);
    c.startFrom(undefined);
    await c.create();
    expect(iam.lists).toBe(1);
    expect(iam.creates).toBe(1);
  });

  it("a credential someone made after the baseline was listed is named, not adopted, when the answer is lost", async () => {
    // The baseline is older than the create: a stranger made since then looks new, like ours would.
    const iam = new ScriptedIam(["lost-before", "ok"]);
    iam.credentials.push(listed("ACCAOTHERPROCESS00001"));
    const c = creation(iam);
    c.startFrom({ ids: new Set(), listedAt: 0 });
    const err = await failure(c.create());
    expect(iam.creates).toBe(1);
    expect(iam.deletes).toEqual([]);
    expect(err.candidates).toEqual(["ACCAOTHERPROCESS00001"]);
  });
});

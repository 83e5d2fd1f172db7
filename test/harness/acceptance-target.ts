/**
 * Where acceptance tests run: by default an emulator started for the suite (in both of its
 * profiles), or the endpoint in TF_ACC_IAM_ENDPOINT (LocalStack, real AWS) when one is given.
 * Each target declares what it can do, so a case it cannot run is skipped with a reason.
 */
import { IAMClient } from "@aws-sdk/client-iam";
import { it } from "vitest";
import type { EmulatorStateSnapshot, FaultSpec } from "../../src/emulator/index.ts";
import { startEmulator } from "../../src/emulator/index.ts";
import { DebugProviderPool } from "./terraform-cli.ts";

export type Capability =
  /** bedrock/logs API keys (alias, secret, expiry). */
  | "api-keys"
  /** IAM's limit of two credentials per user and service. */
  | "credential-limit"
  /** The emulator's control API: faults, clock, state, page size. */
  | "control-api"
  /** ListServiceSpecificCredentials pages with Marker (LocalStack answers everything at once). */
  | "list-paging";

export interface AcceptanceTarget {
  readonly name: string;
  readonly endpoint: string;
  readonly capabilities: ReadonlySet<Capability>;
  /** Environment for terraform (and so for the provider). */
  readonly env: Record<string, string>;
  readonly control: EmulatorControl | undefined;
  /** Runs the cases with this executable instead of the dist/ launcher (see TerraformWorkingDir). */
  readonly providerExecutable?: string;
  /** The debug providers the target's working directories attach to; stopped by close(). */
  readonly providerPool: DebugProviderPool;
  iam(): IAMClient;
  /** Why this target cannot run a case needing these capabilities, or undefined if it can. */
  missing(...needs: Capability[]): string | undefined;
  close(): Promise<void>;
}

export interface TargetSpec {
  readonly name: string;
  /**
   * The first target of the run. Cases whose outcome cannot depend on the emulator profile run
   * here only (see `profileIndependent`); a lone external endpoint is always the first.
   */
  readonly primary: boolean;
  start(): Promise<AcceptanceTarget>;
}

const EMULATOR_CAPABILITIES: Record<"aws" | "localstack", Capability[]> = {
  aws: ["api-keys", "credential-limit", "control-api", "list-paging"],
  // LocalStack 4.x issues no API keys and does not enforce the limit; the emulator's profile
  // reproduces that, and keeps its control API.
  localstack: ["control-api"],
};

/** The targets this run covers: both emulator profiles, or the one external endpoint. */
export function acceptanceTargets(env: NodeJS.ProcessEnv = process.env): TargetSpec[] {
  const endpoint = env.TF_ACC_IAM_ENDPOINT;
  if (endpoint) {
    const kind = (env.TF_ACC_TARGET ?? "localstack").toLowerCase();
    const caps: Capability[] = kind === "aws" ? ["api-keys", "credential-limit", "list-paging"] : [];
    return [{ name: `${kind} at ${endpoint}`, primary: true, start: async () => makeTarget(`${kind}`, endpoint, caps, undefined, async () => {}, env) }];
  }
  return (["aws", "localstack"] as const).map((profile, index) => ({
    name: `emulator (${profile} profile)`,
    primary: index === 0,
    start: async () => {
      const emulator = await startEmulator({ profile });
      return makeTarget(`emulator-${profile}`, emulator.url, EMULATOR_CAPABILITIES[profile], new EmulatorControl(emulator.url), () => emulator.close(), env);
    },
  }));
}

/**
 * `it` for a case whose outcome does not depend on the profile (it uses nothing the profiles
 * differ in: API keys, the credential limit, listing without a service or with paging, status
 * values, password shapes). On the primary target it is vitest's `it`; on the others the case
 * is not registered, since it would repeat the primary's run exactly.
 */
export function profileIndependent(spec: TargetSpec): typeof it {
  return spec.primary ? it : (((..._args: unknown[]) => {}) as unknown as typeof it);
}

function makeTarget(
  name: string,
  endpoint: string,
  capabilities: Capability[],
  control: EmulatorControl | undefined,
  close: () => Promise<void>,
  env: NodeJS.ProcessEnv,
): AcceptanceTarget {
  const caps = new Set(capabilities);
  const credentials = {
    accessKeyId: env.TF_ACC_AWS_ACCESS_KEY_ID ?? env.AWS_ACCESS_KEY_ID ?? "test",
    secretAccessKey: env.TF_ACC_AWS_SECRET_ACCESS_KEY ?? env.AWS_SECRET_ACCESS_KEY ?? "test",
  };
  const region = env.AWS_REGION ?? "us-east-1";
  let client: IAMClient | undefined;
  const providerPool = new DebugProviderPool();
  return {
    name,
    providerPool,
    endpoint,
    capabilities: caps,
    control,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      // New objects appear at once in the emulator; keep failure cases from waiting two minutes.
      TF_AWS_IAM_PROPAGATION_TIMEOUT: env.TF_AWS_IAM_PROPAGATION_TIMEOUT ?? (control ? "5" : "120"),
    },
    iam() {
      client ??= new IAMClient({ endpoint, region, credentials, maxAttempts: 3 });
      return client;
    },
    missing(...needs) {
      const lacking = needs.filter((n) => !caps.has(n));
      return lacking.length === 0 ? undefined : `${name} lacks ${lacking.join(", ")}`;
    },
    async close() {
      client?.destroy();
      await providerPool.close();
      await close();
    },
  };
}

/** The emulator's test-only control API, over HTTP like any other client. */
export class EmulatorControl {
  constructor(readonly url: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/__emulator/${path}`, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator control ${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  state(): Promise<EmulatorStateSnapshot> {
    return this.call("GET", "state");
  }
  addFault(fault: FaultSpec): Promise<{ id: string }> {
    return this.call("POST", "faults", fault);
  }
  clearFaults(): Promise<void> {
    return this.call("DELETE", "faults");
  }
  faults(): Promise<{ id: string; fired: number }[]> {
    return this.call<{ faults?: { id: string; fired: number }[] } | { id: string; fired: number }[]>("GET", "faults").then((r) =>
      Array.isArray(r) ? r : (r.faults ?? []),
    );
  }
  advanceDays(days: number): Promise<void> {
    return this.call("POST", "clock", { advanceDays: days });
  }
  advanceSeconds(seconds: number): Promise<void> {
    return this.call("POST", "clock", { advanceSeconds: seconds });
  }
  /** List pages hold at most this many items (null: as many as MaxItems asks). */
  setPageSize(maxItems: number | null): Promise<void> {
    return this.call("POST", "paging", { maxItems });
  }
  reset(): Promise<void> {
    return this.call("POST", "reset");
  }
}

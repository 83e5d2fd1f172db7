/**
 * Injected failures for resilience tests: errors, latency and dropped connections, matched
 * by action and triggered a number of times, at a rate, or always.
 */
import { defaultMessageFor, defaultStatusFor, IamError } from "./iam-errors.ts";

export interface FaultSpec {
  /** An action name, or "*" for every Query action. */
  action: string;
  code?: string;
  status?: number;
  message?: string;
  /** Fire on the next `count` matching calls. */
  count?: number;
  /** Fire on this share (0–1) of matching calls. */
  rate?: number;
  /** Makes `rate` repeatable. */
  seed?: number;
  delayMs?: number;
  /** Destroy the connection before the operation runs, or after it took effect. */
  drop?: "before" | "after";
}

export interface FaultView extends FaultSpec {
  id: string;
  /** Calls left for a `count` fault. */
  remaining?: number;
  fired: number;
}

export interface FaultDecision {
  delayMs: number;
  error?: IamError;
  drop?: "before" | "after";
}

export class FaultSpecError extends Error {}

interface ActiveFault {
  view: FaultView;
  random: () => number;
}

/** mulberry32: tiny, fast, and good enough to make sampled faults repeatable. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks a JSON fault description; throws FaultSpecError with a readable reason. */
export function parseFaultSpec(input: unknown): FaultSpec {
  if (!isRecord(input)) throw new FaultSpecError("a fault must be a JSON object");
  const known = new Set(["action", "code", "status", "message", "count", "rate", "seed", "delayMs", "drop"]);
  for (const key of Object.keys(input)) if (!known.has(key)) throw new FaultSpecError(`unknown field "${key}"`);
  const { action, code, status, message, count, rate, seed, delayMs, drop } = input;
  if (typeof action !== "string" || action === "") throw new FaultSpecError('"action" must be an action name or "*"');
  if (code !== undefined && (typeof code !== "string" || !/^[A-Za-z][\w.]*$/.test(code))) {
    throw new FaultSpecError('"code" must be an error code such as "Throttling"');
  }
  if (status !== undefined && (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599)) {
    throw new FaultSpecError('"status" must be an HTTP error status (400-599)');
  }
  if (message !== undefined && typeof message !== "string") throw new FaultSpecError('"message" must be a string');
  if (count !== undefined && (!Number.isInteger(count) || (count as number) < 1)) {
    throw new FaultSpecError('"count" must be a positive integer');
  }
  if (rate !== undefined && (typeof rate !== "number" || rate < 0 || rate > 1)) {
    throw new FaultSpecError('"rate" must be a number from 0 to 1');
  }
  if (count !== undefined && rate !== undefined) throw new FaultSpecError('give "count" or "rate", not both');
  if (seed !== undefined && !Number.isInteger(seed)) throw new FaultSpecError('"seed" must be an integer');
  if (delayMs !== undefined && (!Number.isInteger(delayMs) || (delayMs as number) < 0 || (delayMs as number) > 600_000)) {
    throw new FaultSpecError('"delayMs" must be an integer from 0 to 600000');
  }
  if (drop !== undefined && drop !== "before" && drop !== "after") throw new FaultSpecError('"drop" must be "before" or "after"');
  if (code === undefined && delayMs === undefined && drop === undefined) {
    throw new FaultSpecError('a fault needs "code", "delayMs" or "drop"');
  }
  if (code !== undefined && drop !== undefined) throw new FaultSpecError('give "code" or "drop", not both');
  if ((status !== undefined || message !== undefined) && code === undefined) {
    throw new FaultSpecError('"status" and "message" need a "code"');
  }
  const spec: FaultSpec = { action };
  if (code !== undefined) spec.code = code as string;
  if (status !== undefined) spec.status = status as number;
  if (message !== undefined) spec.message = message as string;
  if (count !== undefined) spec.count = count as number;
  if (rate !== undefined) spec.rate = rate;
  if (seed !== undefined) spec.seed = seed as number;
  if (delayMs !== undefined) spec.delayMs = delayMs as number;
  if (drop !== undefined) spec.drop = drop;
  return spec;
}

export class FaultRegistry {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): FaultView {
    const view: FaultView = { id: `fault-${this.nextId++}`, ...spec, fired: 0 };
    if (spec.count !== undefined) view.remaining = spec.count;
    const random = spec.seed !== undefined ? seededRandom(spec.seed) : Math.random;
    this.faults.push({ view, random });
    return { ...view };
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.view.id !== id);
    return this.faults.length !== before;
  }

  clear(): number {
    const count = this.faults.length;
    this.faults = [];
    return count;
  }

  list(): FaultView[] {
    return this.faults.map((f) => ({ ...f.view }));
  }

  /**
   * Decides what happens to one call. Every matching fault that fires adds its delay; the
   * first one (in creation order) with an error or a drop decides the outcome.
   */
  decide(action: string): FaultDecision | undefined {
    let decision: FaultDecision | undefined;
    for (const { view, random } of this.faults) {
      if (view.action !== "*" && view.action !== action) continue;
      if (view.remaining !== undefined) {
        if (view.remaining === 0) continue;
        view.remaining--;
      } else if (view.rate !== undefined && !(random() < view.rate)) {
        continue;
      }
      view.fired++;
      decision ??= { delayMs: 0 };
      decision.delayMs += view.delayMs ?? 0;
      if (decision.error || decision.drop) continue;
      if (view.code !== undefined) {
        decision.error = new IamError(view.code, view.status ?? defaultStatusFor(view.code), view.message ?? defaultMessageFor(view.code));
      } else if (view.drop) {
        decision.drop = view.drop;
      }
    }
    return decision;
  }
}

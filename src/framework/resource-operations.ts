/**
 * The resource RPCs on framework terms, one function each: the checks, the plan pipeline, the
 * call to the resource, and what is kept when it fails (prior state, origin markers, notes).
 * Requests arrive decoded (from-wire.ts) and responses leave as values (to-wire.ts), so no
 * wire type appears here. All of a resource's RPCs share one file because they share the same
 * rules of what to keep: a read, an apply and a plan decide the private state together.
 */
import type { Logger } from "../logging/logger.ts";
import type { Value } from "../values/value.ts";
import { NULL, isKnown, isNull, known } from "../values/value.ts";
import type { AttributePath, Diagnostics, WithDiagnostics } from "./diagnostics.ts";
import { validateConfig } from "./config-checks.ts";
import { normalizeObject, registerSecrets, unknownsToNull } from "./object-values.ts";
import { type OperationContext, configuredContext } from "./operation-context.ts";
import { planResourceChange as runPlanPipeline } from "./plan-pipeline.ts";
import { type ReceivedPrivate, originMarker, sameNotes, writePrivate } from "./private-state.ts";
import type { Resource } from "./resource.ts";
import type { MoveStateRequest, MoveStateResponse, PrivateNotes } from "./resource-requests.ts";

export interface ValidateResourceConfigRequest {
  readonly config: Value;
}

export interface UpgradeResourceStateRequest {
  readonly version: number;
  /** The stored state read with the current schema; null when there is none or it could not be read. */
  readonly state: Value;
}

export interface UpgradeResourceStateResponse extends WithDiagnostics {
  /** Always set unless the state is refused: an empty answer drops the object from state. */
  readonly upgradedState?: Value;
}

export interface ReadResourceRequest {
  readonly currentState: Value;
  readonly private: ReceivedPrivate;
}

export interface ReadResourceResponse extends WithDiagnostics {
  readonly newState?: Value;
  readonly private?: Uint8Array;
}

export interface PlanResourceChangeRequest {
  readonly priorState: Value;
  readonly proposedNewState: Value;
  readonly config: Value;
  readonly priorPrivate: ReceivedPrivate;
}

export interface PlanResourceChangeResponse extends WithDiagnostics {
  readonly plannedState?: Value;
  readonly requiresReplace?: readonly AttributePath[];
  readonly plannedPrivate?: Uint8Array;
}

export interface ApplyResourceChangeRequest {
  readonly priorState: Value;
  readonly plannedState: Value;
  readonly config: Value;
  readonly plannedPrivate: ReceivedPrivate;
}

export interface ApplyResourceChangeResponse extends WithDiagnostics {
  readonly newState?: Value;
  readonly private?: Uint8Array;
}

export interface ImportResourceStateRequest {
  readonly id: string;
}

export interface ImportedResource {
  readonly typeName: string;
  readonly state: Value;
  readonly private: Uint8Array;
}

export interface ImportResourceStateResponse extends WithDiagnostics {
  readonly importedResources?: readonly ImportedResource[];
}

/** What Terraform sends; the server adds the address it answers to before the resource sees it. */
export type MoveResourceStateRequest = Omit<MoveStateRequest, "targetProviderAddress">;

export interface MoveResourceStateResponse extends WithDiagnostics {
  readonly targetState?: Value;
  readonly targetPrivate?: Uint8Array;
}

/** How messages name the source of a move. */
export function moveSourceName(typeName: string, providerAddress: string): string {
  return `${typeName || "(no type)"} of provider ${providerAddress || "(no address)"}`;
}

export function validateResourceConfig<C>(resource: Resource<C>, req: ValidateResourceConfigRequest, diags: Diagnostics): WithDiagnostics {
  if (!diags.hasErrors()) validateConfig(resource, req.config, diags);
  return { diagnostics: diags };
}

export function upgradeResourceState<C>(resource: Resource<C>, req: UpgradeResourceStateRequest, diags: Diagnostics): UpgradeResourceStateResponse {
  const { version } = req;
  if (version > resource.schema.version) {
    diags.error(
      "State written by a newer provider",
      `The state of this ${resource.typeName} was written with schema version ${version}, but this provider knows version ${resource.schema.version}. Upgrade the provider.`,
    );
    return { diagnostics: diags };
  }
  const block = resource.schema.block;
  let state = req.state;
  registerSecrets(block, state);
  if (resource.upgradeState && isKnown(state)) {
    const resp = { state: normalizeObject(block, state), diagnostics: diags };
    resource.upgradeState({ version, state: resp.state }, resp);
    state = normalizeObject(block, resp.state);
    registerSecrets(block, state);
  }
  return { upgradedState: normalizeObject(block, state), diagnostics: diags };
}

export async function readResource<C>(
  resource: Resource<C>,
  req: ReadResourceRequest,
  op: OperationContext<C>,
  diags: Diagnostics,
): Promise<ReadResourceResponse> {
  if (diags.hasErrors()) return { diagnostics: diags };
  const block = resource.schema.block;
  const current = req.currentState;
  registerSecrets(block, current);
  const { origin, notes } = req.private;
  const ctx = configuredContext(op, diags);
  const resp = { state: current, private: { ...notes }, diagnostics: diags };
  if (ctx && !isNull(current)) {
    await keepingState("ReadResource", ctx, diags, () =>
      resource.read({ ...ctx, state: current, private: notes, afterImport: origin === "import", afterCreate: origin === "create" }, resp),
    );
  }
  const next = normalizeObject(block, unknownsToNull(resp.state));
  registerSecrets(block, next);
  // On error the prior object is kept so a failed refresh never drops it from state.
  const failed = diags.hasErrors() && isNull(next);
  const notesChanged = !sameNotes(notes, resp.private);
  return {
    newState: failed ? current : next,
    // The origin notes last until the first read that finds the object.
    private: (origin && !failed) || notesChanged ? writePrivate(failed ? origin : undefined, resp.private) : req.private.bytes,
    diagnostics: diags,
  };
}

export async function planResourceChange<C>(
  resource: Resource<C>,
  req: PlanResourceChangeRequest,
  op: OperationContext<C>,
  diags: Diagnostics,
): Promise<PlanResourceChangeResponse> {
  if (diags.hasErrors()) return { diagnostics: diags };
  const { priorState: prior, proposedNewState: proposed, config } = req;
  registerSecrets(resource.schema.block, prior);
  // Validators run again here: at validate time the values may still have been unknown.
  if (!isNull(config)) {
    validateConfig(resource, config, diags);
    if (diags.hasErrors()) return { diagnostics: diags };
  }
  const notes = req.priorPrivate.notes;
  if (resource.beforePlan && !isNull(proposed)) {
    await resource.beforePlan({ prior, config, proposed, client: op.client, private: notes, signal: op.signal }, { diagnostics: diags });
    if (diags.hasErrors()) return { diagnostics: diags };
  }
  const change = runPlanPipeline(resource, { prior, proposed, config, client: op.client, private: notes }, diags, op.logger);
  return { plannedState: change.planned, requiresReplace: change.requiresReplace, plannedPrivate: req.priorPrivate.bytes, diagnostics: diags };
}

export async function applyResourceChange<C>(
  resource: Resource<C>,
  req: ApplyResourceChangeRequest,
  op: OperationContext<C>,
  diags: Diagnostics,
): Promise<ApplyResourceChangeResponse> {
  const { priorState: prior, plannedState: planned, config } = req;
  const ctx = diags.hasErrors() ? undefined : configuredContext(op, diags);
  if (!ctx) return { newState: prior, diagnostics: diags };
  const block = resource.schema.block;
  registerSecrets(block, prior);

  const notes = req.plannedPrivate.notes;
  let next: Value;
  let changedNotes: PrivateNotes = notes;
  if (isNull(planned)) {
    await keepingState("ApplyResourceChange", ctx, diags, () => resource.delete({ ...ctx, prior, private: notes }, { diagnostics: diags }));
    // A failed delete keeps the object in state.
    next = diags.hasErrors() ? prior : NULL;
  } else if (isNull(prior)) {
    const resp = { state: NULL as Value, private: { ...notes }, diagnostics: diags };
    await keepingState("ApplyResourceChange", ctx, diags, () => resource.create({ ...ctx, planned, config, private: notes }, resp));
    next = resp.state;
    changedNotes = resp.private;
  } else {
    const resp = { state: prior, private: { ...notes }, diagnostics: diags };
    await keepingState("ApplyResourceChange", ctx, diags, () => resource.update({ ...ctx, prior, planned, config, private: notes }, resp));
    next = resp.state;
    changedNotes = resp.private;
  }
  next = isNull(next) ? NULL : normalizeObject(block, unknownsToNull(next));
  registerSecrets(block, next);
  return {
    newState: next,
    // A new object is marked so that its first read waits for an eventually consistent API.
    private:
      isNull(prior) && !isNull(next)
        ? writePrivate("create", changedNotes)
        : sameNotes(notes, changedNotes)
          ? req.plannedPrivate.bytes
          : writePrivate(req.plannedPrivate.origin, changedNotes),
    diagnostics: diags,
  };
}

export function importResourceState<C>(resource: Resource<C>, req: ImportResourceStateRequest, diags: Diagnostics): ImportResourceStateResponse {
  const resp = { state: NULL as Value, diagnostics: diags };
  resource.importState({ id: req.id }, resp);
  if (diags.hasErrors()) return { diagnostics: diags };
  const state = normalizeObject(resource.schema.block, isKnown(resp.state) ? resp.state : known(new Map()));
  return { importedResources: [{ typeName: resource.typeName, state, private: originMarker("import") }], diagnostics: diags };
}

export function moveResourceState<C>(
  resource: Resource<C>,
  req: MoveResourceStateRequest,
  targetProviderAddress: string | undefined,
  diags: Diagnostics,
): MoveResourceStateResponse {
  if (!resource.moveState) {
    const source = moveSourceName(req.sourceTypeName, req.sourceProviderAddress);
    diags.error("Move not supported", `${resource.typeName} cannot take over the state of ${source}: this resource type accepts no moved blocks.`);
    return { diagnostics: diags };
  }
  const block = resource.schema.block;
  const resp: MoveStateResponse = { targetState: undefined, diagnostics: diags };
  resource.moveState(
    {
      ...req,
      targetProviderAddress,
      decodeSourceState: (d) => {
        const value = req.decodeSourceState(d);
        if (value === undefined) return undefined;
        registerSecrets(block, value);
        return normalizeObject(block, value);
      },
    },
    resp,
  );
  if (resp.targetState === undefined || diags.hasErrors()) return { diagnostics: diags };
  const target = normalizeObject(block, resp.targetState);
  registerSecrets(block, target);
  // Another provider's private data means nothing here: none unless the resource gives some.
  return { targetState: target, targetPrivate: resp.targetPrivate, diagnostics: diags };
}

/**
 * Runs a resource call that reads or changes a real object. A throw there is a bug, but the
 * object may exist: it becomes an error here, where the state to keep is known (the prior
 * object, or what create had already handed back), rather than an answer without state, which
 * Terraform would take as the object being gone.
 */
async function keepingState(rpc: string, ctx: { readonly logger: Logger }, diags: Diagnostics, call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.logger.error("resource failed", { tf_rpc: rpc, error: message });
    diags.error(
      `Provider error in ${rpc}`,
      `${message}\n\nThis is a bug in the provider; the object is kept in the state as it was. Please report it with the steps that led here.`,
    );
  }
}

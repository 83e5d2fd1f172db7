/**
 * What a resource implements. Resource files hold domain logic only: they receive and return
 * tri-state values shaped by their schema and report problems as diagnostics; decoding,
 * planning rules and the wire belong to the framework and the protocol layer.
 */
import type { Value } from "../values/value.ts";
import type { AttributePath, Diagnostics } from "./diagnostics.ts";
import type { Schema } from "./schema.ts";
import type { Logger } from "../logging/logger.ts";

/**
 * A resource's own notes about an object, kept by Terraform in the object's private state and
 * handed back with it (to plan, apply and read). JSON values only. A resource changes them
 * in apply or read; plan sees those of the prior object.
 */
export type PrivateNotes = Record<string, unknown>;

export interface ResourceContext<Client> {
  /** The configured provider's data (clients), created lazily by the provider. */
  readonly client: Client;
  /** Aborted when Terraform sends StopProvider (Ctrl-C). */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** The object's notes: read them, and set or delete entries to change what is stored. */
  readonly notes: PrivateNotes;
}

export interface PlanRequest<Client> {
  /** Null when the object is being created. */
  readonly prior: Value;
  readonly config: Value;
  /** The configured provider's data; undefined if planning happens before configuration. */
  readonly client: Client | undefined;
  /** The prior object's notes (none on create). */
  readonly notes?: Readonly<PrivateNotes>;
}

export interface PlanModification {
  /** The planned object, after the framework's defaults and unknown marking; replace it to change the plan. */
  planned: Value;
  /** Extra attributes whose change forces replacement. */
  readonly requiresReplace: AttributePath[];
}

export interface ReadOptions {
  readonly afterImport: boolean;
  readonly afterCreate: boolean;
}

/** Stored state being read by the current schema (UpgradeResourceState). */
export interface UpgradeStateRequest {
  /** The schema version the state was written with; never newer than this resource's. */
  readonly version: number;
  /** The stored state decoded with the current schema: unknown attributes dropped, missing ones null. Never null. */
  readonly state: Value;
}

/** A `moved` block bringing another resource's state, possibly from another provider, into this type. */
export interface MoveStateRequest {
  /** The address this provider answers to, when the server was told it. */
  readonly targetProviderAddress: string | undefined;
  /** Full source address as Terraform sent it, such as `registry.terraform.io/hashicorp/aws`. */
  readonly sourceProviderAddress: string;
  readonly sourceTypeName: string;
  readonly sourceSchemaVersion: number;
  /** The source state exactly as stored: JSON written with the source's schema. */
  readonly sourceRawState: Uint8Array;
  /** The source provider's private data; its meaning is that provider's. */
  readonly sourcePrivate: Uint8Array;
  /**
   * The source state read with this resource's schema (attributes it lacks dropped, missing
   * ones null); undefined, with an error added to `diags`, when it cannot be read.
   */
  decodeSourceState(diags: Diagnostics): Value | undefined;
}

export interface MoveStateResponse {
  /** The object under this resource's schema; the framework fills in missing attributes. */
  readonly targetState: Value;
  /** Private data to store beside it; none by default. */
  readonly targetPrivate?: Uint8Array;
}

export interface Resource<Client> {
  readonly typeName: string;
  readonly schema: Schema;

  /** Checks that span attributes; per-attribute validators run before this. */
  validateConfig?(config: Value, diags: Diagnostics): void;
  /** Plan-time checks and adjustments that need prior state or the provider's knowledge. */
  modifyPlan?(request: PlanRequest<Client>, plan: PlanModification, diags: Diagnostics): void;
  /** Plan-time checks of a destroy (warnings, or an error that stops it); the plan stays null. */
  modifyDestroyPlan?(request: PlanRequest<Client>, diags: Diagnostics): void;
  /**
   * Asynchronous plan-time work that modifyPlan relies on: look-ups, or checks that need a
   * library loaded on demand. Runs before the plan pipeline; an error stops the plan before
   * anything is applied.
   */
  beforePlan?(request: PlanRequest<Client>, diags: Diagnostics, signal: AbortSignal): Promise<void>;

  /**
   * Returns the new object. When the object exists but a later step failed, return it *and*
   * add an error: Terraform keeps it in state, tainted, instead of losing it.
   */
  create(planned: Value, config: Value, ctx: ResourceContext<Client>, diags: Diagnostics): Promise<Value>;
  /**
   * Returns null when the object no longer exists. `afterImport` is set on the read that
   * completes an import, when the state holds only what importState could say; `afterCreate`
   * until the first read that finds a newly created object (an eventually consistent API may
   * not show it yet, so "not found" then means "wait", not "gone").
   */
  read(state: Value, ctx: ResourceContext<Client>, diags: Diagnostics, options: ReadOptions): Promise<Value>;
  update(prior: Value, planned: Value, config: Value, ctx: ResourceContext<Client>, diags: Diagnostics): Promise<Value>;
  delete(prior: Value, ctx: ResourceContext<Client>, diags: Diagnostics): Promise<void>;
  /** Turns an import id into a partial object (unset attributes may be left out) for read to complete. */
  importState(id: string, diags: Diagnostics): Value;
  /**
   * Reshapes stored state for the current schema, for example state another implementation
   * of this type wrote. Must return state this provider wrote unchanged.
   */
  upgradeState?(request: UpgradeStateRequest, diags: Diagnostics): Value;
  /**
   * Takes over state from another resource type or provider (a `moved` block). Without it,
   * such moves are refused. Returns undefined, with an error in `diags`, to refuse a source.
   */
  moveState?(request: MoveStateRequest, diags: Diagnostics): MoveStateResponse | undefined;
}

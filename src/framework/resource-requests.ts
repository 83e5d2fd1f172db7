/**
 * What a resource's operations receive and answer. Each operation gets a request it reads and
 * a response it fills in, as terraform-plugin-framework's do: responses come pre-set to what
 * the framework keeps when the resource sets nothing, and a new field (identity, provider meta)
 * is a new property, not a new parameter of every resource.
 */
import type { Value } from "../values/value.ts";
import type { AttributePath, Diagnostics, WithDiagnostics } from "./diagnostics.ts";
import type { RequestContext } from "./request-context.ts";

/**
 * A resource's own notes about an object, kept by Terraform in the object's private state and
 * handed back with it (to plan, apply and read). JSON values only. A resource changes them
 * in apply or read, through the response; plan sees those of the prior object.
 */
export type PrivateNotes = Record<string, unknown>;

/** A request about a stored object (or one being made): the object's notes come with it. */
interface NotesRequest<Client> extends RequestContext<Client> {
  readonly private: Readonly<PrivateNotes>;
}

/** A response that can change the object's notes: a copy of the request's, to change in place. */
interface NotesResponse extends WithDiagnostics {
  private: PrivateNotes;
}

export interface CreateRequest<Client> extends NotesRequest<Client> {
  readonly planned: Value;
  readonly config: Value;
}

export interface CreateResponse extends NotesResponse {
  /**
   * The new object; null until set. When the object exists but a later step failed, set it
   * *and* add an error: Terraform keeps it in state, tainted, instead of losing it.
   */
  state: Value;
}

export interface ReadRequest<Client> extends NotesRequest<Client> {
  readonly state: Value;
  /** The read that completes an import, when the state holds only what importState could say. */
  readonly afterImport: boolean;
  /**
   * Set until the first read that finds a newly created object: an eventually consistent API
   * may not show it yet, so "not found" then means "wait", not "gone".
   */
  readonly afterCreate: boolean;
}

export interface ReadResponse extends NotesResponse {
  /** Pre-set to the request's state; set it to null when the object no longer exists. */
  state: Value;
}

export interface UpdateRequest<Client> extends NotesRequest<Client> {
  readonly prior: Value;
  readonly planned: Value;
  readonly config: Value;
}

export interface UpdateResponse extends NotesResponse {
  /** Pre-set to the prior object, which a failed update keeps. */
  state: Value;
}

export interface DeleteRequest<Client> extends NotesRequest<Client> {
  readonly prior: Value;
}

export type DeleteResponse = WithDiagnostics;

export interface ImportStateRequest {
  readonly id: string;
}

export interface ImportStateResponse extends WithDiagnostics {
  /** A partial object (unset attributes may be left out) for read to complete; null until set. */
  state: Value;
}

export interface ValidateConfigRequest {
  readonly config: Value;
}

export type ValidateConfigResponse = WithDiagnostics;

export interface ModifyPlanRequest<Client> {
  /** Null when the object is being created. */
  readonly prior: Value;
  readonly config: Value;
  /** Terraform's proposed new state; null when the object is being destroyed. */
  readonly proposed: Value;
  /** The configured provider's data; undefined if planning happens before configuration. */
  readonly client: Client | undefined;
  /** The prior object's notes (none on create). */
  readonly private: Readonly<PrivateNotes>;
}

export interface ModifyPlanResponse extends WithDiagnostics {
  /** The planned object, after the framework's defaults and unknown marking; replace it to change the plan. */
  planned: Value;
  /** Attributes whose change forces replacement; add to it or take from it. */
  readonly requiresReplace: AttributePath[];
}

export type ModifyDestroyPlanResponse = WithDiagnostics;

export interface BeforePlanRequest<Client> extends ModifyPlanRequest<Client> {
  readonly signal: AbortSignal;
}

export type BeforePlanResponse = WithDiagnostics;

/** Stored state being read by the current schema (UpgradeResourceState). */
export interface UpgradeStateRequest {
  /** The schema version the state was written with; never newer than this resource's. */
  readonly version: number;
  /** The stored state decoded with the current schema: unknown attributes dropped, missing ones null. Never null. */
  readonly state: Value;
}

export interface UpgradeStateResponse extends WithDiagnostics {
  /** Pre-set to the request's state. */
  state: Value;
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

export interface MoveStateResponse extends WithDiagnostics {
  /** The object under this resource's schema (the framework fills in missing attributes); unset refuses the move. */
  targetState: Value | undefined;
  /** Private data to store beside it; none by default. */
  targetPrivate?: Uint8Array;
}

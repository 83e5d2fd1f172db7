/**
 * What a resource implements. Resource files hold domain logic only: they receive and return
 * tri-state values shaped by their schema and report problems as diagnostics; decoding,
 * planning rules and the wire belong to the framework and the protocol layer. Each operation
 * takes a request and fills in a response (resource-requests.ts).
 */
import type {
  BeforePlanRequest,
  BeforePlanResponse,
  CreateRequest,
  CreateResponse,
  DeleteRequest,
  DeleteResponse,
  ImportStateRequest,
  ImportStateResponse,
  ModifyDestroyPlanResponse,
  ModifyPlanRequest,
  ModifyPlanResponse,
  MoveStateRequest,
  MoveStateResponse,
  ReadRequest,
  ReadResponse,
  UpdateRequest,
  UpdateResponse,
  UpgradeStateRequest,
  UpgradeStateResponse,
  ValidateConfigRequest,
  ValidateConfigResponse,
} from "./resource-requests.ts";
import type { Schema } from "./schema.ts";

export interface Resource<Client> {
  readonly typeName: string;
  readonly schema: Schema;

  /** Checks that span attributes; per-attribute validators run before this. */
  validateConfig?(req: ValidateConfigRequest, resp: ValidateConfigResponse): void;
  /** Plan-time checks and adjustments that need prior state or the provider's knowledge. */
  modifyPlan?(req: ModifyPlanRequest<Client>, resp: ModifyPlanResponse): void;
  /** Plan-time checks of a destroy (warnings, or an error that stops it); the plan stays null. */
  modifyDestroyPlan?(req: ModifyPlanRequest<Client>, resp: ModifyDestroyPlanResponse): void;
  /**
   * Asynchronous plan-time work that modifyPlan relies on: look-ups, or checks that need a
   * library loaded on demand. Runs before the plan pipeline; an error stops the plan before
   * anything is applied.
   */
  beforePlan?(req: BeforePlanRequest<Client>, resp: BeforePlanResponse): Promise<void>;

  create(req: CreateRequest<Client>, resp: CreateResponse): Promise<void>;
  read(req: ReadRequest<Client>, resp: ReadResponse): Promise<void>;
  update(req: UpdateRequest<Client>, resp: UpdateResponse): Promise<void>;
  delete(req: DeleteRequest<Client>, resp: DeleteResponse): Promise<void>;
  /** Turns an import id into a partial object for read to complete. */
  importState(req: ImportStateRequest, resp: ImportStateResponse): void;
  /**
   * Reshapes stored state for the current schema, for example state another implementation
   * of this type wrote. Must leave state this provider wrote unchanged.
   */
  upgradeState?(req: UpgradeStateRequest, resp: UpgradeStateResponse): void;
  /**
   * Takes over state from another resource type or provider (a `moved` block). Without it,
   * such moves are refused. Leaves the target state unset, with an error, to refuse a source.
   */
  moveState?(req: MoveStateRequest, resp: MoveStateResponse): void;
}

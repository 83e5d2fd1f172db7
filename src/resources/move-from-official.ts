/**
 * `moved` blocks into this provider: an aws_iam_service_specific_credential or aws_iam_user
 * that the official AWS provider (or this provider under another address) manages is taken
 * over with all of its state, secrets included, which a re-import would lose for good.
 */
import type { Value } from "../values/value.ts";
import type { MoveStateRequest, MoveStateResponse } from "../framework/resource-requests.ts";
import { acceptedMoveSources } from "../provider-address.ts";

/** The official provider's schema version for both types, which this provider shares. */
const OFFICIAL_SCHEMA_VERSION = 0;

export interface MoveSource {
  /** The state, read with the target schema. */
  readonly state: Value;
  /** The source's private data says an SDKv2 provider wrote the state. */
  readonly writtenBySdkv2: boolean;
}

/**
 * A move hook for `typeName` that accepts only the same type, from an accepted provider
 * address, written with the official schema, and reshapes the state with `normalize`.
 */
export function moveFromOfficial(typeName: string, normalize: (source: MoveSource) => Value): (request: MoveStateRequest, resp: MoveStateResponse) => void {
  return (request, resp) => {
    const diags = resp.diagnostics;
    const given = request.sourceProviderAddress;
    const sources = acceptedMoveSources(request.targetProviderAddress);
    // Terraform spells addresses case-insensitively.
    if (!sources.includes(given.toLowerCase())) {
      diags.error(
        "Cannot move from this provider",
        `The ${request.sourceTypeName || "resource"} being moved to ${typeName} belongs to provider ${JSON.stringify(given)}. ` +
          `${typeName} takes over state only from: ${sources.join(", ")}.`,
      );
      return;
    }
    if (request.sourceTypeName !== typeName) {
      diags.error(
        "Cannot move from this resource type",
        `A moved block can bring ${JSON.stringify(request.sourceTypeName)} of ${given} into ${typeName}, but ${typeName} takes over only ${typeName} state; other types have other attributes.`,
      );
      return;
    }
    if (request.sourceSchemaVersion !== OFFICIAL_SCHEMA_VERSION) {
      diags.error(
        "Cannot move state of this schema version",
        `The ${typeName} state from ${given} was written with schema version ${request.sourceSchemaVersion}; this provider reads schema version ${OFFICIAL_SCHEMA_VERSION} only, the official provider's.${request.sourceSchemaVersion > OFFICIAL_SCHEMA_VERSION ? " Upgrade this provider." : ""}`,
      );
      return;
    }
    const state = request.decodeSourceState(diags);
    if (state === undefined) return;
    resp.targetState = normalize({ state, writtenBySdkv2: isSdkv2Private(request.sourcePrivate) });
  };
}

/**
 * SDKv2 stores its metadata as a JSON object with a `schema_version` key in every object's
 * private data; this provider stores none or its own markers.
 */
function isSdkv2Private(data: Uint8Array): boolean {
  if (data.length === 0) return false;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(data).toString("utf8"));
    return typeof parsed === "object" && parsed !== null && "schema_version" in parsed;
  } catch {
    return false;
  }
}

/**
 * Terraform value types, in the exact JSON shape go-cty uses on the wire
 * (`"string"`, `["list","string"]`, `["object",{...}]`), so a schema's type can be
 * written into a proto `bytes` field without any translation.
 */
type CtyPrimitive = "string" | "number" | "bool" | "dynamic";

export type CtyType =
  | CtyPrimitive
  | readonly ["list", CtyType]
  | readonly ["set", CtyType]
  | readonly ["map", CtyType]
  | readonly ["tuple", readonly CtyType[]]
  | readonly ["object", Readonly<Record<string, CtyType>>]
  | readonly ["object", Readonly<Record<string, CtyType>>, readonly string[]];

export const ctyString = "string" as const;
export const ctyNumber = "number" as const;
export const ctyBool = "bool" as const;

export function ctyList(element: CtyType): CtyType {
  return ["list", element];
}
export function ctySet(element: CtyType): CtyType {
  return ["set", element];
}
export function ctyMap(element: CtyType): CtyType {
  return ["map", element];
}

/** Parses a type from its wire JSON, refusing anything go-cty would not produce. */
export function parseCtyType(json: unknown): CtyType {
  if (json === "string" || json === "number" || json === "bool" || json === "dynamic") return json;
  if (Array.isArray(json) && typeof json[0] === "string") {
    const [kind, arg, optional] = json as [string, unknown, unknown];
    switch (kind) {
      case "list":
      case "set":
      case "map":
        if (json.length !== 2) break;
        return [kind, parseCtyType(arg)];
      case "tuple":
        if (json.length !== 2 || !Array.isArray(arg)) break;
        return ["tuple", arg.map(parseCtyType)];
      case "object": {
        if (json.length < 2 || json.length > 3 || typeof arg !== "object" || arg === null || Array.isArray(arg)) break;
        const attributes: Record<string, CtyType> = {};
        for (const [name, t] of Object.entries(arg)) attributes[name] = parseCtyType(t);
        if (json.length === 3) {
          if (!Array.isArray(optional) || !optional.every((o) => typeof o === "string")) break;
          return ["object", attributes, optional as string[]];
        }
        return ["object", attributes];
      }
    }
  }
  throw new TypeError(`invalid type description ${safeJson(json)}`);
}

function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/**
 * Schema definitions for providers and resources: what each attribute is, how it plans, and
 * how it validates. The same definitions produce the wire schema and drive the plan pipeline,
 * so the two cannot disagree.
 */
import type { CtyType } from "../values/cty-type.ts";
import type { Value } from "../values/value.ts";
import type { Validator } from "./validators.ts";
import type { AttributePlanModifier } from "./plan-modifiers.ts";

export interface AttributeSchema {
  readonly type: CtyType;
  readonly description: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  /** Sent by Terraform in config only; never planned or stored. */
  readonly writeOnly?: boolean;
  readonly deprecated?: string;
  /** Planned when the configuration leaves the attribute null. Needs optional + computed. */
  readonly default?: Value;
  /** A change to this attribute replaces the object instead of updating it. */
  readonly requiresReplace?: boolean;
  /**
   * A computed value that never changes once known (ids, dates, secrets): an update plans the
   * prior value instead of unknown, which keeps plans quiet and secrets in state.
   */
  readonly stable?: boolean;
  readonly validators?: readonly Validator[];
  /**
   * For an attribute of object type, or a list, set or map of objects: what each attribute of
   * the object means. The wire type cannot carry descriptions; the generated docs show these.
   */
  readonly objectAttributeDescriptions?: Readonly<Record<string, string>>;
  /** What a change of this attribute does to the rest of an update's plan (plan-modifiers.ts). */
  readonly planModifiers?: readonly AttributePlanModifier[];
}

export type NestingMode = "single" | "list" | "set";

export interface NestedBlockSchema {
  readonly nesting: NestingMode;
  readonly block: BlockSchema;
  readonly description?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface BlockSchema {
  readonly description?: string;
  readonly attributes: Readonly<Record<string, AttributeSchema>>;
  readonly blocks?: Readonly<Record<string, NestedBlockSchema>>;
}

export interface Schema {
  readonly version: number;
  readonly block: BlockSchema;
}

/**
 * Declares a schema keeping its literal type: attribute names and cty types survive, so
 * attribute-access.ts can check reads against them at compile time.
 */
export function defineSchema<const S extends Schema>(schema: S): S {
  return schema;
}

const typeCache = new WeakMap<BlockSchema, CtyType>();

/** The object type of a block's values: attributes plus nested blocks (lists, sets or objects). */
export function blockType(block: BlockSchema): CtyType {
  const cached = typeCache.get(block);
  if (cached) return cached;
  const attrs: Record<string, CtyType> = {};
  for (const [name, attr] of Object.entries(block.attributes)) attrs[name] = attr.type;
  for (const [name, nested] of Object.entries(block.blocks ?? {})) {
    const inner = blockType(nested.block);
    attrs[name] = nested.nesting === "single" ? inner : [nested.nesting, inner];
  }
  const type: CtyType = ["object", attrs];
  typeCache.set(block, type);
  return type;
}

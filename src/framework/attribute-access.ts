/**
 * Typed access to an object value's attributes, derived from its block schema: a misspelt
 * name, or a string attribute read as a number, fails to compile instead of reading null at
 * run time. The schema must keep its literal type (declare it with defineSchema).
 *
 *     const user = attributeAccess(userSchema.block);
 *     user(planned).requireString("name");       // string, or throws naming the attribute
 *     user(state).with({ arn: UNKNOWN });        // only the schema's names
 */
import type { CtyType } from "../values/cty-type.ts";
import type { Value } from "../values/value.ts";
import { NULL, asBool, asMap, asNumber, asString, isNull, isUnknown, withAttributes } from "../values/value.ts";
import type { BlockSchema } from "./schema.ts";

export type AttributeName<B extends BlockSchema> = keyof B["attributes"] & string;

export type NestedBlockName<B extends BlockSchema> = B extends { readonly blocks: infer N } ? keyof N & string : never;

/** The names of the block's attributes whose type is exactly `T`. */
export type AttributeNameOfType<B extends BlockSchema, T extends CtyType> = {
  [K in AttributeName<B>]: B["attributes"][K]["type"] extends T ? K : never;
}[AttributeName<B>];

/** Replacement values for some of the block's attributes and nested blocks. */
export type AttributeChanges<B extends BlockSchema> = { [K in AttributeName<B> | NestedBlockName<B>]?: Value };

type Primitive = "string" | "number" | "bool";

export class ObjectAttributes<B extends BlockSchema> {
  constructor(
    private readonly block: B,
    /** The object value read; null or unknown reads every attribute as null. */
    readonly value: Value,
  ) {}

  get(name: AttributeName<B> | NestedBlockName<B>): Value {
    return this.read(name);
  }

  /** The string, or undefined when the attribute is null or unknown. */
  string(name: AttributeNameOfType<B, "string">): string | undefined {
    return asString(this.primitive(name, "string"));
  }

  number(name: AttributeNameOfType<B, "number">): number | undefined {
    return asNumber(this.primitive(name, "number"));
  }

  bool(name: AttributeNameOfType<B, "bool">): boolean | undefined {
    return asBool(this.primitive(name, "bool"));
  }

  /** For attributes known at this point (required ones at apply, ids in stored state): throws when not. */
  requireString(name: AttributeNameOfType<B, "string">): string {
    return this.required(name, this.string(name));
  }

  requireNumber(name: AttributeNameOfType<B, "number">): number {
    return this.required(name, this.number(name));
  }

  requireBool(name: AttributeNameOfType<B, "bool">): boolean {
    return this.required(name, this.bool(name));
  }

  isNull(name: AttributeName<B> | NestedBlockName<B>): boolean {
    return isNull(this.get(name));
  }

  isUnknown(name: AttributeName<B> | NestedBlockName<B>): boolean {
    return isUnknown(this.get(name));
  }

  /** The named attributes' values, to carry over into another object. */
  pick<N extends AttributeName<B> | NestedBlockName<B>>(names: readonly N[]): Record<N, Value> {
    return Object.fromEntries(names.map((n) => [n, this.get(n)])) as Record<N, Value>;
  }

  /** A copy of the object with some attributes replaced; names outside the schema fail to compile, in a literal, a variable or a spread. */
  with<C extends AttributeChanges<B>>(changes: C & { readonly [K in Exclude<keyof C, AttributeName<B> | NestedBlockName<B>>]: never }): Value {
    const defined: Record<string, Value> = {};
    for (const [name, value] of Object.entries(changes)) {
      this.check(name);
      if (value !== undefined) defined[name] = value;
    }
    return withAttributes(this.value, defined);
  }

  private read(name: string): Value {
    this.check(name);
    return asMap(this.value)?.get(name) ?? NULL;
  }

  // The types already rule these out; the checks catch names that reach here through a cast.
  private check(name: string): void {
    if (!Object.hasOwn(this.block.attributes, name) && !Object.hasOwn(this.block.blocks ?? {}, name)) {
      throw new Error(`The schema has no attribute ${JSON.stringify(name)}.`);
    }
  }

  private primitive(name: string, type: Primitive): Value {
    const value = this.read(name);
    if (this.block.attributes[name]?.type !== type) throw new Error(`Attribute ${JSON.stringify(name)} is not of type ${type}.`);
    return value;
  }

  private required<T>(name: string, value: T | undefined): T {
    if (value === undefined) throw new Error(`Attribute ${JSON.stringify(name)} has no known value here (it is ${this.read(name).kind}).`);
    return value;
  }
}

/** Reads and writes objects of `block`, typed by its declared attributes. */
export function attributeAccess<B extends BlockSchema>(block: B): (value: Value) => ObjectAttributes<B> {
  return (value) => new ObjectAttributes(block, value);
}

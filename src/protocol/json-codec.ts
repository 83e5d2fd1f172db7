/**
 * JSON DynamicValue decoding, compatible with go-cty's cty/json package (Terraform sends JSON
 * for `UpgradeResourceState.raw_state` and may for other requests). JSON cannot carry unknowns.
 *
 * A small hand-written parser: JSON.parse would round integers beyond 2^53, and Node 20 has no
 * access to a number's source text from a reviver.
 */
import type { CtyType } from "../values/cty-type.ts";
import { numberFromText } from "../values/decimal-number.ts";
import { objectInfo, parseTypeJson } from "../values/type-json.ts";
import { MAX_VALUE_DEPTH, ValueDecodeError, attrStep, keyStep, withStep } from "../values/value-errors.ts";
import { NULL, withDynamicType, type NumberPayload, type Value } from "../values/value.ts";

export interface JsonDecodeOptions {
  /**
   * Drop object attributes the type does not have instead of failing, as the plugin framework
   * does for stored state, whose attributes may come from an older schema.
   */
  readonly ignoreUndefinedAttributes?: boolean;
}

// JSON text may contain dynamic wrappers and type descriptions, so allow more syntax nesting
// than value nesting; the cap exists only to keep the recursive parser off the stack limit.
const MAX_JSON_DEPTH = 2 * MAX_VALUE_DEPTH + 8;

/** A JSON number, kept as its source text until the type says what it should be. */
class JsonNumber {
  constructor(readonly text: string) {}
}

type Json = null | boolean | string | JsonNumber | Json[] | Map<string, Json>;

const utf8 = new TextDecoder("utf-8", { fatal: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function decodeJson(input: Uint8Array | string, type: CtyType, options: JsonDecodeOptions = {}): Value {
  let text: string;
  if (typeof input === "string") text = input;
  else {
    try {
      text = utf8.decode(input);
    } catch {
      throw new ValueDecodeError("JSON is not valid UTF-8");
    }
  }
  const json = new Parser(text).document();
  return convert(json, type, 0, options.ignoreUndefinedAttributes === true);
}

// ---------------------------------------------------------------------------------------------
// Parsing

class Parser {
  private pos = 0;

  constructor(private readonly s: string) {}

  document(): Json {
    const v = this.value(0);
    this.ws();
    if (this.pos !== this.s.length) this.fail("unexpected text after the JSON value");
    return v;
  }

  private fail(what: string): never {
    const at = this.pos >= this.s.length ? "end of input" : `offset ${this.pos}`;
    throw new ValueDecodeError(`invalid JSON at ${at}: ${what}`);
  }

  private ws(): void {
    const s = this.s;
    let p = this.pos;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  private value(depth: number): Json {
    this.ws();
    const c = this.s.charCodeAt(this.pos);
    switch (c) {
      case 0x22:
        return this.string();
      case 0x7b:
        return this.object(depth);
      case 0x5b:
        return this.array(depth);
      case 0x74:
        return this.literal("true", true);
      case 0x66:
        return this.literal("false", false);
      case 0x6e:
        return this.literal("null", null);
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    return this.fail(Number.isNaN(c) ? "unexpected end of input" : `unexpected character ${JSON.stringify(this.s[this.pos])}`);
  }

  private literal<T extends Json>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.pos)) this.fail("unexpected token");
    this.pos += word.length;
    return v;
  }

  private number(): JsonNumber {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.pos;
    const found = m.exec(this.s);
    if (found === null) this.fail("invalid number");
    this.pos += found[0].length;
    return new JsonNumber(found[0]);
  }

  private string(): string {
    const s = this.s;
    let p = this.pos + 1;
    let out = "";
    let chunk = p;
    let surrogate = false;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 0x22) break;
      if (Number.isNaN(c)) {
        this.pos = p;
        this.fail("unterminated string");
      }
      if (c < 0x20) {
        this.pos = p;
        this.fail("control character in string");
      }
      if (c !== 0x5c) {
        p++;
        continue;
      }
      out += s.slice(chunk, p);
      const e = s[p + 1];
      p += 2;
      switch (e) {
        case '"':
        case "\\":
        case "/":
          out += e;
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
        case "u": {
          const hex = s.slice(p, p + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.pos = p;
            this.fail("invalid \\u escape");
          }
          const unit = parseInt(hex, 16);
          if (unit >= 0xd800 && unit <= 0xdfff) surrogate = true;
          out += String.fromCharCode(unit);
          p += 4;
          break;
        }
        default:
          this.pos = p - 1;
          this.fail("invalid escape");
      }
      chunk = p;
    }
    out += s.slice(chunk, p);
    this.pos = p + 1;
    // Go's decoder turns unpaired surrogates into U+FFFD; do the same so the text is valid UTF-8.
    return surrogate ? out.replace(LONE_SURROGATE, "\uFFFD") : out;
  }

  private array(depth: number): Json[] {
    if (depth >= MAX_JSON_DEPTH) this.fail("nested too deeply");
    this.pos++;
    const out: Json[] = [];
    this.ws();
    if (this.s.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s.charCodeAt(this.pos++);
      if (c === 0x5d) return out;
      if (c !== 0x2c) {
        this.pos--;
        this.fail("expected , or ]");
      }
    }
  }

  private object(depth: number): Map<string, Json> {
    if (depth >= MAX_JSON_DEPTH) this.fail("nested too deeply");
    this.pos++;
    const out = new Map<string, Json>();
    this.ws();
    if (this.s.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.pos) !== 0x22) this.fail("expected a string key");
      const key = this.string();
      this.ws();
      if (this.s.charCodeAt(this.pos) !== 0x3a) this.fail("expected :");
      this.pos++;
      out.set(key, this.value(depth + 1));
      this.ws();
      const c = this.s.charCodeAt(this.pos++);
      if (c === 0x7d) return out;
      if (c !== 0x2c) {
        this.pos--;
        this.fail("expected , or }");
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Conversion to Value, following go-cty's rules (including its string/number/bool leniency)

function describe(j: Json): string {
  if (j === null) return "null";
  if (j instanceof JsonNumber) return "number";
  if (Array.isArray(j)) return "array";
  if (j instanceof Map) return "object";
  return typeof j;
}

function convert(j: Json, type: CtyType, depth: number, ignoreUndefined: boolean): Value {
  if (depth > MAX_VALUE_DEPTH) throw new ValueDecodeError(`value nested more than ${MAX_VALUE_DEPTH} levels deep`);
  if (j === null) return NULL;
  switch (type) {
    case "dynamic":
      return convertDynamic(j, depth, ignoreUndefined);
    case "string":
      if (typeof j === "string") return { kind: "known", value: j };
      if (j instanceof JsonNumber) return { kind: "known", value: j.text };
      if (typeof j === "boolean") return { kind: "known", value: j ? "true" : "false" };
      throw new ValueDecodeError(`expected string, got ${describe(j)}`);
    case "number": {
      let n: NumberPayload | undefined;
      if (j instanceof JsonNumber) n = numberFromText(j.text);
      else if (typeof j === "string") n = numberFromText(j);
      if (n === undefined) throw new ValueDecodeError(`expected number, got ${describe(j)}${typeof j === "string" ? ` ${JSON.stringify(j)}` : ""}`);
      return { kind: "known", value: n };
    }
    case "bool":
      if (typeof j === "boolean") return { kind: "known", value: j };
      if (j === "true" || j === "false") return { kind: "known", value: j === "true" };
      throw new ValueDecodeError(`expected bool, got ${describe(j)}`);
  }
  switch (type[0]) {
    case "list":
    case "set":
    case "tuple": {
      if (!Array.isArray(j)) throw new ValueDecodeError(`expected array for ${type[0]}, got ${describe(j)}`);
      const tupleTypes = type[0] === "tuple" ? type[1] : undefined;
      if (tupleTypes !== undefined && tupleTypes.length !== j.length) {
        throw new ValueDecodeError(`a tuple of ${tupleTypes.length} elements is required, got ${j.length}`);
      }
      const out = new Array<Value>(j.length);
      let i = 0;
      try {
        for (; i < j.length; i++) out[i] = convert(j[i]!, tupleTypes ? tupleTypes[i]! : (type[1] as CtyType), depth + 1, ignoreUndefined);
      } catch (e) {
        throw withStep(e, `[${i}]`);
      }
      return { kind: "known", value: out };
    }
    case "map": {
      if (!(j instanceof Map)) throw new ValueDecodeError(`expected object for map, got ${describe(j)}`);
      const out = new Map<string, Value>();
      for (const [k, item] of j) {
        try {
          out.set(k, convert(item, type[1], depth + 1, ignoreUndefined));
        } catch (e) {
          throw withStep(e, keyStep(k));
        }
      }
      return { kind: "known", value: out };
    }
    case "object": {
      if (!(j instanceof Map)) throw new ValueDecodeError(`expected object, got ${describe(j)}`);
      const info = objectInfo(type);
      const out = new Map<string, Value>();
      for (const [name, item] of j) {
        const attrType = info.types.get(name);
        if (attrType === undefined) {
          if (ignoreUndefined) continue;
          throw new ValueDecodeError(`unsupported attribute (the object has ${info.names.length} attributes)`, attrStep(name));
        }
        try {
          out.set(name, convert(item, attrType, depth + 1, ignoreUndefined));
        } catch (e) {
          throw withStep(e, attrStep(name));
        }
      }
      // go-cty's JSON decoder reads an absent attribute as null.
      if (out.size !== info.names.length) {
        for (const name of info.names) if (!out.has(name)) out.set(name, NULL);
      }
      return { kind: "known", value: out };
    }
  }
}

/** A dynamic value in JSON is `{"value": ..., "type": ...}`. */
function convertDynamic(j: Json, depth: number, ignoreUndefined: boolean): Value {
  if (!(j instanceof Map)) throw new ValueDecodeError(`expected {"value", "type"} object for a dynamic value, got ${describe(j)}`);
  for (const k of j.keys()) {
    if (k !== "value" && k !== "type") throw new ValueDecodeError(`invalid key ${JSON.stringify(k)} in a dynamic value`);
  }
  const typeJson = j.get("type");
  const value = j.get("value");
  if (typeJson === undefined) throw new ValueDecodeError("missing type in a dynamic value");
  if (value === undefined) throw new ValueDecodeError("missing value in a dynamic value");
  const type = parseTypeJson(JSON.stringify(toPlain(typeJson)));
  return withDynamicType(convert(value, type, depth + 1, ignoreUndefined), type);
}

/** Back to plain JSON, for the type description of a dynamic value (it holds no numbers). */
function toPlain(j: Json): unknown {
  if (j instanceof JsonNumber) return Number(j.text);
  if (Array.isArray(j)) return j.map(toPlain);
  if (j instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of j) Object.defineProperty(o, k, { value: toPlain(v), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return j;
}

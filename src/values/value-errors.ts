/**
 * The errors a conversion of a value raises, with the attribute path where it failed. Both wire
 * codecs and the type-JSON parser throw these, so a caller names one class whatever the encoding.
 */
/** Deepest nesting of containers (and dynamic wrappers) a value may have. */
export const MAX_VALUE_DEPTH = 64;

/** The one error every decoder throws: `path` says where (`.tags["x"]`, `[2]`), `detail` what. */
export class ValueDecodeError extends Error {
  override name = "ValueDecodeError";
  constructor(
    readonly detail: string,
    readonly path: string = "",
  ) {
    super(path === "" ? detail : `${path}: ${detail}`);
  }
}

/** Thrown when a `Value` does not fit the type it is being encoded as. */
export class ValueEncodeError extends Error {
  override name = "ValueEncodeError";
  constructor(
    readonly detail: string,
    readonly path: string = "",
  ) {
    super(path === "" ? detail : `${path}: ${detail}`);
  }
}

// Path steps, formatted only when an error unwinds through a container (free on success).
export function attrStep(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}
export function keyStep(key: string): string {
  return `[${JSON.stringify(key)}]`;
}

/** Prefixes a codec error's path with one step; other errors pass through untouched. */
export function withStep(e: unknown, step: string): unknown {
  if (e instanceof ValueDecodeError) return new ValueDecodeError(e.detail, step + e.path);
  if (e instanceof ValueEncodeError) return new ValueEncodeError(e.detail, step + e.path);
  return e;
}

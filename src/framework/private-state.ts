/**
 * The framework's notes in an object's private state, which Terraform stores beside the object
 * and hands back on the next call: whether the object has just been imported, or has just been
 * created and not yet read back (IAM may not list it yet).
 */
type ObjectOrigin = "import" | "create";

const MARKERS: Record<ObjectOrigin, Buffer> = {
  import: Buffer.from('{"import":true}'),
  create: Buffer.from('{"created":true}'),
};

export const NO_PRIVATE = Buffer.alloc(0);

export function originMarker(origin: ObjectOrigin): Buffer {
  return MARKERS[origin];
}

export function readOrigin(data: Uint8Array | null | undefined): ObjectOrigin | undefined {
  if (data == null || data.length === 0) return undefined;
  const bytes = Buffer.from(data);
  if (bytes.equals(MARKERS.import)) return "import";
  if (bytes.equals(MARKERS.create)) return "create";
  return undefined;
}

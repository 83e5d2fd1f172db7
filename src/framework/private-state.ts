/**
 * An object's private state, which Terraform stores beside the object and hands back on the
 * next call. The framework notes there whether the object has just been imported, or has just
 * been created and not yet read back (IAM may not list it yet); resources keep their own notes
 * under "notes". Private data this framework did not write is passed through untouched.
 */
import type { PrivateNotes } from "./resource-requests.ts";

type ObjectOrigin = "import" | "create";

export const NO_PRIVATE = Buffer.alloc(0);

export interface PrivateData {
  readonly origin: ObjectOrigin | undefined;
  readonly notes: PrivateNotes;
}

/** Private state as Terraform sent it: what this framework reads from it, and the bytes, to hand back unchanged. */
export interface ReceivedPrivate extends PrivateData {
  readonly bytes: Uint8Array;
}

export function receivedPrivate(data: Uint8Array | null | undefined): ReceivedPrivate {
  return { ...readPrivate(data), bytes: data ?? NO_PRIVATE };
}

export function readPrivate(data: Uint8Array | null | undefined): PrivateData {
  if (data == null || data.length === 0) return { origin: undefined, notes: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data).toString("utf8"));
  } catch {
    return { origin: undefined, notes: {} };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { origin: undefined, notes: {} };
  const p = parsed as Record<string, unknown>;
  const origin = p.import === true ? "import" : p.created === true ? "create" : undefined;
  const notes = typeof p.notes === "object" && p.notes !== null && !Array.isArray(p.notes) ? { ...(p.notes as PrivateNotes) } : {};
  return { origin, notes };
}

export function readOrigin(data: Uint8Array | null | undefined): ObjectOrigin | undefined {
  return readPrivate(data).origin;
}

/** The bytes for an origin and notes; the two markers keep the exact form older versions wrote. */
export function writePrivate(origin: ObjectOrigin | undefined, notes: PrivateNotes = {}): Buffer {
  const hasNotes = Object.keys(notes).length > 0;
  if (!origin && !hasNotes) return NO_PRIVATE;
  return Buffer.from(
    JSON.stringify({ ...(origin === "import" ? { import: true } : origin === "create" ? { created: true } : {}), ...(hasNotes ? { notes } : {}) }),
  );
}

export function originMarker(origin: ObjectOrigin): Buffer {
  return writePrivate(origin);
}

export function sameNotes(a: PrivateNotes, b: PrivateNotes): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

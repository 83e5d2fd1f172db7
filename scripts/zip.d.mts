// Types for scripts/zip.mjs, for the tests that import it.
export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Permission bits, such as 0o755; default 0o644. */
  mode?: number;
  mtime?: Date;
}

export function crc32(data: Uint8Array): number;
export function createZip(entries: readonly ZipEntry[], options?: { level?: number }): Buffer;

/**
 * IAM's Marker/MaxItems paging. Markers are opaque to clients; here they name the first item
 * of the next page, so a page boundary survives items being deleted in between.
 */
import { validationError } from "./iam-errors.ts";

export const DEFAULT_MAX_ITEMS = 100;

/**
 * The size of the page to answer. IAM may return fewer items than MaxItems (its default 100)
 * and set IsTruncated even then; a test sets `pageSizeLimit` to make that happen.
 */
export function pageSize(requested: number | undefined, pageSizeLimit: number | undefined): number {
  const size = requested ?? DEFAULT_MAX_ITEMS;
  return pageSizeLimit === undefined ? size : Math.min(size, pageSizeLimit);
}

function encodeMarker(position: string): string {
  return Buffer.from(`emulator:${position}`, "utf8").toString("base64");
}

export function decodeMarker(marker: string): string {
  const text = Buffer.from(marker, "base64").toString("utf8");
  if (!text.startsWith("emulator:")) throw validationError("Invalid Marker.");
  return text.slice("emulator:".length);
}

export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  marker?: string;
}

/**
 * Takes up to `maxItems` from `source` (already ordered, already past the marker) and, when
 * more remain, a marker for the first one left over.
 */
export function takePage<T>(source: Iterable<T>, maxItems: number, positionOf: (item: T) => string): Page<T> {
  const items: T[] = [];
  for (const item of source) {
    if (items.length === maxItems) return { items, isTruncated: true, marker: encodeMarker(positionOf(item)) };
    items.push(item);
  }
  return { items, isTruncated: false };
}

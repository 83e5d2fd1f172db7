/**
 * IAM's Marker/IsTruncated paging, written once. A truncated page must carry a new marker:
 * some IAM look-alikes ignore Marker and answer the first page again, and following them
 * would loop forever, so a repeated (or missing) marker is an error, not the end of the list.
 */

/** One page of a List call, as the SDK's output spells it. */
export interface IamPage<T> {
  items: readonly T[] | undefined;
  isTruncated: boolean | undefined;
  marker: string | undefined;
}

/** The service's paging cannot be followed to the end; what was listed would be partial. */
export class PaginationError extends Error {
  override readonly name = "PaginationError";
  constructor(
    readonly action: string,
    readonly pages: number,
    message: string,
  ) {
    super(`${action}: ${message} after ${pages === 1 ? "1 page" : `${pages} pages`}; the list would be incomplete`);
  }
}

/** Every item of a List call, asking page after page with the marker the previous one gave. */
export async function allPages<T>(action: string, page: (marker: string | undefined) => Promise<IamPage<T>>, signal?: AbortSignal): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let marker: string | undefined;
  for (let pages = 1; ; pages++) {
    const out = await page(marker);
    all.push(...(out.items ?? []));
    if (!out.isTruncated) return all;
    if (!out.marker) throw new PaginationError(action, pages, "the service said the list is truncated but gave no Marker to continue from");
    if (seen.has(out.marker))
      throw new PaginationError(action, pages, `the service gave Marker ${JSON.stringify(out.marker)} a second time (it seems to ignore Marker)`);
    seen.add(out.marker);
    marker = out.marker;
    // The page calls see the signal too; checking here also stops a page function that does not.
    signal?.throwIfAborted();
  }
}

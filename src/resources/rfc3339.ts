/** RFC 3339 in UTC without fractional seconds (`2025-10-01T12:34:56Z`), as the AWS provider writes dates. */
export function rfc3339(date: Date | string | undefined | null): string | undefined {
  if (date === undefined || date === null) return undefined;
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The grpc-timeout request header (gRPC over HTTP/2): TimeoutValue TimeoutUnit, where the value
 * is 1 to 8 ASCII digits and the unit one of H M S m u n.
 */
// Sub-millisecond units divide, so that 2500u is exactly 2.5 ms.
const MS_PER_UNIT: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1_000, m: 1 };
const UNITS_PER_MS: Record<string, number> = { u: 1_000, n: 1_000_000 };

/** The timeout in milliseconds, or undefined when the value is not one the spec allows. */
export function parseGrpcTimeout(header: string): number | undefined {
  const match = /^(\d{1,8})([HMSmun])$/.exec(header);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2]!;
  return unit in MS_PER_UNIT ? value * MS_PER_UNIT[unit]! : value / UNITS_PER_MS[unit]!;
}

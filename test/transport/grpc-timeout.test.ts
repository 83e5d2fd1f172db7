// The grpc-timeout header, per the gRPC over HTTP/2 spec: 1 to 8 digits and one unit.
import { describe, expect, it } from "vitest";
import { parseGrpcTimeout } from "../../src/transport/grpc-timeout.ts";

describe("parseGrpcTimeout", () => {
  it("reads every unit as milliseconds", () => {
    expect(parseGrpcTimeout("2H")).toBe(2 * 3_600_000);
    expect(parseGrpcTimeout("3M")).toBe(3 * 60_000);
    expect(parseGrpcTimeout("5S")).toBe(5_000);
    expect(parseGrpcTimeout("100m")).toBe(100);
    expect(parseGrpcTimeout("2500u")).toBe(2.5);
    expect(parseGrpcTimeout("7000000n")).toBe(7);
    expect(parseGrpcTimeout("0m")).toBe(0);
    expect(parseGrpcTimeout("99999999H")).toBe(99_999_999 * 3_600_000);
  });

  it("gives undefined for anything else", () => {
    for (const bad of ["", "100", "S", "1.5S", "-1S", "+1S", "123456789S", "10x", "1 S", " 1S", "1s", "1h"]) {
      expect(parseGrpcTimeout(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});

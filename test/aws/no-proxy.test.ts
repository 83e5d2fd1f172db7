import { describe, expect, it } from "vitest";
import { proxyBypass } from "../../src/aws/no-proxy.ts";

describe("proxyBypass (no_proxy)", () => {
  it("matches names with their subdomains, a leading dot subdomains only, host:port only that port", () => {
    const bypass = proxyBypass("example.com, .internal.test,api.corp:8443");
    expect(bypass("example.com", 443)).toBe(true);
    expect(bypass("iam.example.com", 443)).toBe(true);
    expect(bypass("notexample.com", 443)).toBe(false);
    expect(bypass("internal.test", 443)).toBe(false);
    expect(bypass("sts.internal.test", 443)).toBe(true);
    expect(bypass("api.corp", 8443)).toBe(true);
    expect(bypass("api.corp", 443)).toBe(false);
  });

  it("matches IP addresses and CIDR ranges; * matches everything", () => {
    const bypass = proxyBypass("10.0.0.0/8,192.0.2.7,[2001:db8::1]");
    expect(bypass("10.1.2.3", 80)).toBe(true);
    expect(bypass("11.1.2.3", 80)).toBe(false);
    expect(bypass("192.0.2.7", 80)).toBe(true);
    expect(bypass("2001:db8::1", 80)).toBe(true);
    expect(proxyBypass("*")("iam.amazonaws.com", 443)).toBe(true);
  });

  it("never proxies loopback hosts, as Go's net/http does, and proxies everything else by default", () => {
    const bypass = proxyBypass(undefined);
    for (const host of ["localhost", "127.0.0.1", "127.9.9.9", "::1", "[::1]"]) expect(bypass(host, 4566), host).toBe(true);
    expect(bypass("iam.amazonaws.com", 443)).toBe(false);
  });
});

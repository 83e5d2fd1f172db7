import { describe, expect, it } from "vitest";
import {
  APP_PROTOCOL_VERSION,
  checkMagicCookie,
  HandshakeError,
  handshakeLine,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  negotiateProtocolVersion,
  reattachLine,
} from "../../src/transport/handshake.ts";
import { createSelfSignedCertificate } from "../../src/transport/self-signed-certificate.ts";

describe("magic cookie", () => {
  it("is Terraform's cookie", () => {
    expect(MAGIC_COOKIE_KEY).toBe("TF_PLUGIN_MAGIC_COOKIE");
    expect(MAGIC_COOKIE_VALUE).toBe("d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2");
  });

  it("accepts the right value and refuses a missing or wrong one with a human message", () => {
    expect(() => checkMagicCookie({ TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE })).not.toThrow();
    for (const env of [{}, { TF_PLUGIN_MAGIC_COOKIE: "" }, { TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE.toUpperCase() }]) {
      expect(() => checkMagicCookie(env)).toThrow(HandshakeError);
      expect(() => checkMagicCookie(env)).toThrow(/This binary is a plugin/);
    }
  });
});

describe("protocol negotiation", () => {
  it.each(["6,5", "5,6", "6", " 5 , 6 ", "4,5,6,7"])("picks 6 from %j", (offer) => {
    expect(negotiateProtocolVersion({ PLUGIN_PROTOCOL_VERSIONS: offer })).toBe(6);
  });

  it("assumes 6 when no versions are offered", () => {
    expect(negotiateProtocolVersion({})).toBe(APP_PROTOCOL_VERSION);
  });

  it.each(["5", "4,5", "7"])("refuses %j, naming what was offered", (offer) => {
    expect(() => negotiateProtocolVersion({ PLUGIN_PROTOCOL_VERSIONS: offer })).toThrow(HandshakeError);
    expect(() => negotiateProtocolVersion({ PLUGIN_PROTOCOL_VERSIONS: offer })).toThrow(new RegExp(`protocol 6 only.*${offer.split(",").join(", ")}`));
  });
});

describe("handshake line", () => {
  it("is core|app|network|address|grpc|cert and one newline", () => {
    const cert = createSelfSignedCertificate();
    const line = handshakeLine({ network: "unix", address: "/tmp/plugin123/provider.sock" }, 6, cert.handshakeCert);
    expect(line).toBe(`1|6|unix|/tmp/plugin123/provider.sock|grpc|${cert.handshakeCert}\n`);
    // The certificate field decodes back to the DER certificate.
    expect(Buffer.from(line.trimEnd().split("|")[5]!, "base64").equals(cert.certDer)).toBe(true);
  });

  it("has an empty last field for plaintext", () => {
    expect(handshakeLine({ network: "tcp", address: "127.0.0.1:1234" }, 6)).toBe("1|6|tcp|127.0.0.1:1234|grpc|\n");
  });

  it("refuses a padded certificate (Go reports illegal base64 data)", () => {
    expect(() => handshakeLine({ network: "unix", address: "/x" }, 6, "QUJD==")).toThrow(HandshakeError);
  });

  it("never carries padding from a real certificate, whatever its length", () => {
    for (let i = 0; i < 8; i++) {
      const cert = createSelfSignedCertificate();
      expect(cert.handshakeCert).not.toContain("=");
      expect(cert.handshakeCert).toBe(cert.certDer.toString("base64").replace(/=+$/, ""));
    }
  });
});

describe("reattach line", () => {
  it("is the TF_REATTACH_PROVIDERS assignment Terraform 1.11 accepts", () => {
    const line = reattachLine("registry.terraform.io/hashicorp/aws", { network: "unix", address: "/tmp/p/provider.sock" }, 4242);
    const match = /^TF_REATTACH_PROVIDERS='(.*)'$/.exec(line);
    expect(match).not.toBeNull();
    expect(JSON.parse(match![1]!)).toEqual({
      "registry.terraform.io/hashicorp/aws": {
        Protocol: "grpc",
        ProtocolVersion: 6,
        Pid: 4242,
        Test: true,
        Addr: { Network: "unix", String: "/tmp/p/provider.sock" },
      },
    });
  });
});

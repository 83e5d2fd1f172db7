import { execFileSync, spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSelfSignedCertificate, type ServerCertificate } from "../../src/transport/self-signed-certificate.ts";

const HOUR_MS = 3600 * 1000;

function hasCommand(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: "ignore" });
  return r.status === 0;
}

const haveOpenssl = hasCommand("openssl", ["version"]);
// Python's `cryptography` parses X.509 with a strict DER parser (like Go's).
const havePyCryptography = hasCommand("python3", ["-c", "import cryptography.x509"]);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "selfsigned-test-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function writeTmp(name: string, data: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, data);
  return file;
}

describe("createSelfSignedCertificate", () => {
  it("produces a certificate Node parses with the expected fields", () => {
    const now = new Date("2026-03-04T05:06:07.890Z");
    const cert = createSelfSignedCertificate({ now });
    const x509 = new crypto.X509Certificate(cert.certPem);

    expect(x509.subject).toBe("CN=localhost");
    expect(x509.issuer).toBe("CN=localhost");
    expect(x509.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1");
    expect(x509.checkHost("localhost")).toBe("localhost");
    expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(x509.checkHost("example.com")).toBeUndefined();
    expect(x509.ca).toBe(true);
    // Node's `keyUsage` getter lists the extended key usages.
    expect([...(x509.keyUsage ?? [])].sort()).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkIssued(x509)).toBe(true);
    expect(x509.publicKey.asymmetricKeyType).toBe("ec");
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");

    // 30 s back-dated, ~30 years valid (go-plugin's 262980 h), whole seconds.
    expect(new Date(x509.validFrom).getTime()).toBe(Date.parse("2026-03-04T05:05:37Z"));
    expect(new Date(x509.validTo).getTime()).toBe(Date.parse("2026-03-04T05:06:07Z") + 262_980 * HOUR_MS);

    // The private key belongs to the certificate.
    expect(x509.checkPrivateKey(crypto.createPrivateKey(cert.keyPem))).toBe(true);
    expect(Buffer.compare(x509.raw, cert.certDer)).toBe(0);
  });

  it("has a positive serial of at most 128 bits and fresh keys each time", () => {
    const serials = new Set<string>();
    const keys = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const cert = createSelfSignedCertificate();
      const x509 = new crypto.X509Certificate(cert.certDer);
      // Node prints the serial as uppercase hex without the sign byte.
      expect(x509.serialNumber).toMatch(/^[0-9A-F]{1,32}$/);
      expect(BigInt(`0x${x509.serialNumber}`)).toBeGreaterThan(0n);
      serials.add(x509.serialNumber);
      keys.add(cert.keyPem);
    }
    expect(serials.size).toBe(20);
    expect(keys.size).toBe(20);
  });

  it("encodes the serial INTEGER with a sign byte exactly when the high bit is set", () => {
    let sawHighBit = false;
    for (let i = 0; i < 64; i++) {
      const der = createSelfSignedCertificate().certDer;
      // Certificate SEQ (30 82 xx xx), TBS SEQ (30 82 xx xx), version a0 03 02 01 02, then the serial.
      expect(der.subarray(0, 2).toString("hex")).toBe("3082");
      expect(der.subarray(4, 6).toString("hex")).toBe("3082");
      expect(der.subarray(8, 13).toString("hex")).toBe("a003020102");
      expect(der[13]).toBe(0x02);
      const len = der[14]!;
      const body = der.subarray(15, 15 + len);
      expect(len).toBeLessThanOrEqual(17);
      expect(body[0]! & 0x80).toBe(0); // positive
      if (body[0] === 0) {
        expect(body[1]! & 0x80).toBe(0x80); // a leading zero only when needed
        sawHighBit = true;
      }
    }
    // Probability of missing this in 64 tries is 2^-64.
    expect(sawHighBit).toBe(true);
  });

  it("writes the handshake field as unpadded standard base64 of the DER", () => {
    for (let i = 0; i < 8; i++) {
      const cert = createSelfSignedCertificate();
      expect(cert.handshakeCert).toMatch(/^[A-Za-z0-9+/]+$/);
      expect(cert.handshakeCert.length).toBeGreaterThan(50);
      expect(Buffer.from(cert.handshakeCert, "base64")).toEqual(cert.certDer);
      expect(cert.certDer.toString("base64").replace(/=+$/, "")).toBe(cert.handshakeCert);
    }
  });

  it("writes PEM with 64-character lines", () => {
    const cert = createSelfSignedCertificate();
    const lines = cert.certPem.trimEnd().split("\n");
    expect(lines[0]).toBe("-----BEGIN CERTIFICATE-----");
    expect(lines.at(-1)).toBe("-----END CERTIFICATE-----");
    for (const line of lines.slice(1, -2)) expect(line).toHaveLength(64);
    expect(cert.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it("exports the private key only when it is first read, and once", () => {
    // `export` lives on the private-key subclass's prototype, which KeyObject does not expose by name.
    const privateKeyPrototype = Object.getPrototypeOf(crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey) as crypto.KeyObject;
    const spy = vi.spyOn(privateKeyPrototype, "export");
    try {
      const cert = createSelfSignedCertificate();
      expect(spy).not.toHaveBeenCalled();
      const first = cert.keyPem;
      expect(cert.keyPem).toBe(first);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(first).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    } finally {
      spy.mockRestore();
    }
  });

  it("uses GeneralizedTime after 2049 and UTCTime before", () => {
    const der = createSelfSignedCertificate({ now: new Date("2030-01-01T00:00:00Z") }).certDer;
    // notBefore 2029-12-31 (UTCTime); notAfter 262980 h later = 2060-01-01T12:00 (GeneralizedTime).
    expect(der.includes(Buffer.from("\x17\x0d291231235930Z", "latin1"))).toBe(true);
    expect(der.includes(Buffer.from("\x18\x0f20600101120000Z", "latin1"))).toBe(true);
    const x509 = new crypto.X509Certificate(der);
    expect(new Date(x509.validTo).toISOString()).toBe("2060-01-01T12:00:00.000Z");
  });

  it("honours custom hosts, with IPv4 addresses as iPAddress names", () => {
    const cert = createSelfSignedCertificate({ hosts: ["plugin.test", "localhost", "10.1.2.3"] });
    const x509 = new crypto.X509Certificate(cert.certPem);
    expect(x509.subject).toBe("CN=plugin.test");
    expect(x509.subjectAltName).toBe("DNS:plugin.test, DNS:localhost, IP Address:10.1.2.3");
    expect(x509.checkHost("localhost")).toBe("localhost");
    expect(x509.checkIP("10.1.2.3")).toBe("10.1.2.3");
    expect(x509.verify(x509.publicKey)).toBe(true);
  });

  it("refuses IPv6 hosts rather than writing a wrong name", () => {
    expect(() => createSelfSignedCertificate({ hosts: ["localhost", "::1"] })).toThrow(RangeError);
  });

  it("is fast enough to run at every provider start", () => {
    createSelfSignedCertificate(); // warm-up
    const runs = 50;
    const start = performance.now();
    for (let i = 0; i < runs; i++) createSelfSignedCertificate();
    const avgMs = (performance.now() - start) / runs;
    expect(avgMs).toBeLessThan(20);
  });
});

describe.skipIf(!haveOpenssl)("openssl accepts the certificate", () => {
  let cert: ServerCertificate;
  let certFile: string;
  beforeAll(() => {
    cert = createSelfSignedCertificate();
    certFile = writeTmp("openssl-cert.pem", cert.certPem);
  });

  it("shows v3, ecdsa-with-SHA256, the key usages and EKUs", () => {
    const text = execFileSync("openssl", ["x509", "-in", certFile, "-noout", "-text"], { encoding: "utf8" });
    expect(text).toContain("Version: 3 (0x2)");
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    expect(text).toContain("NIST CURVE: P-256");
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment, Key Agreement, Certificate Sign/);
    expect(text).toMatch(/X509v3 Extended Key Usage:\s*\n\s+TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/X509v3 Subject Alternative Name:\s*\n\s+DNS:localhost, IP Address:127.0.0.1/);
    expect(text).toContain("X509v3 Subject Key Identifier");
  });

  it("verifies as its own trust anchor for both TLS purposes, strictly", () => {
    for (const purpose of ["sslserver", "sslclient"]) {
      const out = execFileSync("openssl", ["verify", "-x509_strict", "-purpose", purpose, "-CAfile", certFile, certFile], { encoding: "utf8" });
      expect(out.trim()).toBe(`${certFile}: OK`);
    }
  });

  it("is currently valid", () => {
    const r = spawnSync("openssl", ["x509", "-in", certFile, "-noout", "-checkend", "0"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("will not expire");
  });

  it("parses as strict DER", () => {
    const r = spawnSync("openssl", ["asn1parse", "-in", certFile, "-strictpem"], { encoding: "utf8" });
    expect(r.status).toBe(0);
  });

  it("matches the private key", () => {
    const keyFile = writeTmp("openssl-key.pem", cert.keyPem);
    const fromCert = execFileSync("openssl", ["x509", "-in", certFile, "-noout", "-pubkey"], { encoding: "utf8" });
    const fromKey = execFileSync("openssl", ["pkey", "-in", keyFile, "-pubout"], { encoding: "utf8" });
    expect(fromCert).toBe(fromKey);
  });
});

describe.skipIf(!havePyCryptography)("a strict DER X.509 parser accepts the certificate", () => {
  it("parses every field and checks the signature", () => {
    const cert = createSelfSignedCertificate();
    const derFile = writeTmp("strict.der", cert.certDer);
    const script = [
      "import sys",
      "from cryptography import x509",
      "from cryptography.hazmat.primitives.asymmetric import ec",
      'c = x509.load_der_x509_certificate(open(sys.argv[1], "rb").read())',
      "c.public_key().verify(c.signature, c.tbs_certificate_bytes, ec.ECDSA(c.signature_hash_algorithm))",
      "ext = {e.oid.dotted_string: e for e in c.extensions}",
      "print(c.version.name, c.signature_algorithm_oid.dotted_string, c.serial_number > 0)",
      'print(ext["2.5.29.19"].critical, ext["2.5.29.19"].value.ca)',
      'ku = ext["2.5.29.15"]',
      "print(ku.critical, ku.value.digital_signature, ku.value.key_encipherment, ku.value.key_cert_sign)",
      'print(sorted(o.dotted_string for o in ext["2.5.29.37"].value))',
      'print(ext["2.5.29.17"].value.get_values_for_type(x509.DNSName))',
    ].join("\n");
    const out = execFileSync("python3", ["-c", script, derFile], { encoding: "utf8" }).trim().split("\n");
    expect(out).toEqual(["v3 1.2.840.10045.4.3.2 True", "True True", "True True True True", "['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']", "['localhost']"]);
  });
});

describe("mutual TLS with node:tls", () => {
  interface Outcome {
    ok: boolean;
    data?: string;
    error?: string;
  }

  async function withServer<T>(server: ServerCertificate, clientCa: ServerCertificate, body: (port: number, serverErrors: Error[]) => Promise<T>): Promise<T> {
    const serverErrors: Error[] = [];
    const srv = tls.createServer(
      {
        key: server.keyPem,
        cert: server.certPem,
        ca: clientCa.certPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (socket) => {
        const peer = socket.getPeerCertificate();
        socket.end(`hello ${peer.subject?.CN ?? "?"} ${socket.authorized}`);
      },
    );
    srv.on("tlsClientError", (err) => serverErrors.push(err));
    await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
    try {
      return await body((srv.address() as AddressInfo).port, serverErrors);
    } finally {
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    }
  }

  function connect(port: number, client: ServerCertificate, serverCa: ServerCertificate): Promise<Outcome> {
    return new Promise((resolve) => {
      let data = "";
      let settled = false;
      const finish = (o: Outcome): void => {
        if (!settled) {
          settled = true;
          resolve(o);
        }
      };
      const socket = tls.connect({
        host: "127.0.0.1",
        port,
        servername: "localhost",
        key: client.keyPem,
        cert: client.certPem,
        ca: serverCa.certPem,
        rejectUnauthorized: true,
      });
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => (data += chunk));
      socket.on("error", (err) => finish({ ok: false, error: err.message }));
      socket.on("close", () => finish(data ? { ok: true, data } : { ok: false, error: "closed without data" }));
      socket.setTimeout(5000, () => {
        finish({ ok: false, error: "timeout" });
        socket.destroy();
      });
    });
  }

  it("connects with the expected client certificate and refuses another", async () => {
    const serverCert = createSelfSignedCertificate();
    const clientCert = createSelfSignedCertificate();
    const strangerCert = createSelfSignedCertificate();

    await withServer(serverCert, clientCert, async (port, serverErrors) => {
      const good = await connect(port, clientCert, serverCert);
      expect(good).toEqual({ ok: true, data: "hello localhost true" });
      expect(serverErrors).toHaveLength(0);

      const bad = await connect(port, strangerCert, serverCert);
      expect(bad.ok).toBe(false);
      expect(bad.data).toBeUndefined();
      // Node's server drops the connection during the handshake (reported as a reset).
      await new Promise((r) => setTimeout(r, 50));
      expect(serverErrors.length).toBeGreaterThan(0);
    });
  });

  it("the refusal is due to the client certificate not chaining to the configured CA", async () => {
    const serverCert = createSelfSignedCertificate();
    const clientCert = createSelfSignedCertificate();
    const strangerCert = createSelfSignedCertificate();
    // Same set-up without rejection, to read the server's verdict for each client.
    const verdicts: (string | true)[] = [];
    const srv = tls.createServer(
      { key: serverCert.keyPem, cert: serverCert.certPem, ca: clientCert.certPem, requestCert: true, rejectUnauthorized: false },
      (socket) => {
        verdicts.push(socket.authorized ? true : String(socket.authorizationError));
        socket.end("x");
      },
    );
    await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
    try {
      const port = (srv.address() as AddressInfo).port;
      expect((await connect(port, clientCert, serverCert)).ok).toBe(true);
      expect((await connect(port, strangerCert, serverCert)).ok).toBe(true);
    } finally {
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    }
    expect(verdicts[0]).toBe(true);
    expect(verdicts[1]).toMatch(/SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
  });

  it("the client refuses a server whose certificate it does not trust", async () => {
    const serverCert = createSelfSignedCertificate();
    const clientCert = createSelfSignedCertificate();
    const otherCert = createSelfSignedCertificate();
    await withServer(serverCert, clientCert, async (port) => {
      const outcome = await connect(port, clientCert, otherCert);
      expect(outcome.ok).toBe(false);
      expect(outcome.error).toMatch(/self[- ]signed|unable to verify|certificate/i);
    });
  });
});

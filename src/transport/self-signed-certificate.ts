/**
 * Per-process self-signed certificate for go-plugin AutoMTLS.
 *
 * Node 20 can generate keys and sign but cannot issue X.509 certificates, so
 * the TBSCertificate is assembled by hand with the DER encoder. The shape
 * follows go-plugin's own generateCert (mtls.go): a self-signed CA
 * certificate for "localhost" that serves as its own trust anchor, with both
 * serverAuth and clientAuth, valid from 30 s ago for 262,980 hours (~30
 * years). go-plugin uses P-521; P-256 is used here because it is faster and
 * Terraform accepts any ECDSA curve Go supports.
 */

import {
  bitString,
  boolean,
  explicitTag,
  implicitPrimitive,
  integer,
  namedBitString,
  octetString,
  oid,
  sequence,
  set,
  utf8String,
  x509Time,
} from "./der-encoder.ts";

export interface ServerCertificate {
  /** PEM "CERTIFICATE". */
  certPem: string;
  /** PEM PKCS#8 "PRIVATE KEY", exported on first read. */
  readonly keyPem: string;
  certDer: Buffer;
  /** DER, base64 standard alphabet without '=' padding, as the go-plugin handshake line requires. */
  handshakeCert: string;
}

export interface CertificateOptions {
  /** Reference time (default: now). */
  now?: Date;
  /** DNS names and IPv4 literals for subjectAltName; the first DNS name becomes the CN. */
  hosts?: string[];
}

const OID = {
  commonName: "2.5.4.3",
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
} as const;

// KeyUsage bit numbers (RFC 5280 §4.2.1.3).
const KU_DIGITAL_SIGNATURE = 0;
const KU_KEY_ENCIPHERMENT = 2;
const KU_KEY_AGREEMENT = 4;
const KU_KEY_CERT_SIGN = 5;

const DEFAULT_HOSTS = ["localhost", "127.0.0.1"];
/** Clock skew allowance, as go-plugin. */
const NOT_BEFORE_BACKDATE_MS = 30 * 1000;
/** go-plugin's 262980 hours (~30 years). */
const VALIDITY_MS = 262_980 * 3600 * 1000;

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  // DER forbids encoding a DEFAULT value, so critical=FALSE is omitted.
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

// Node's isIP compiles its IPv6 pattern on first use, ~7 ms of every start on Node 20; the
// names here are ours (localhost, 127.0.0.1) or a test's, so plain shapes do.
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function hostKind(host: string): "ipv4" | "ipv6" | "dns" {
  if (IPV4.test(host)) return "ipv4";
  return host.includes(":") ? "ipv6" : "dns";
}

function ipv4Bytes(ip: string): Buffer {
  return Buffer.from(ip.split(".").map((p) => Number(p)));
}

function randomSerial(): Buffer {
  const crypto = loadCrypto();
  // 128 random bits; the INTEGER encoder adds the sign byte when needed.
  const serial = crypto.randomBytes(16);
  // RFC 5280 wants a positive serial: never all zeros.
  if (serial.every((b) => b === 0)) serial[15] = 1;
  return serial;
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

export function createSelfSignedCertificate(options: CertificateOptions = {}): ServerCertificate {
  const crypto = loadCrypto();
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new RangeError('invalid "now" date');
  const hosts = options.hosts && options.hosts.length > 0 ? options.hosts : DEFAULT_HOSTS;
  // The plugin listens on a Unix socket or 127.0.0.1, so IPv6 names are not needed.
  const ipv6 = hosts.find((h) => hostKind(h) === "ipv6");
  if (ipv6 !== undefined) throw new RangeError(`IPv6 subjectAltName is not supported: ${ipv6}`);
  const dnsNames = hosts.filter((h) => hostKind(h) === "dns");
  const ips = hosts.filter((h) => hostKind(h) === "ipv4");
  const commonName = dnsNames[0] ?? hosts[0]!;

  const { publicKey, privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const spki = publicKey.export({ type: "spki", format: "der" });

  // The subject key identifier is SHA-1 of the public key bits (RFC 5280
  // method 1), as Go's x509 adds for CA certificates. For P-256 the SPKI
  // ends with the BIT STRING holding the 65-byte uncompressed point.
  const point = spki.subarray(spki.length - 65);
  if (point[0] !== 0x04 || spki[spki.length - 66] !== 0x00) {
    throw new Error("unexpected P-256 SubjectPublicKeyInfo layout");
  }
  const keyId = crypto.createHash("sha1").update(point).digest();

  // Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue)
  const name = sequence(set(sequence(oid(OID.commonName), utf8String(commonName))));

  const altNames = sequence(
    // GeneralName dNSName [2] IA5String, iPAddress [7] OCTET STRING (implicit).
    ...dnsNames.map((d) => implicitPrimitive(2, Buffer.from(d, "ascii"))),
    ...ips.map((ip) => implicitPrimitive(7, ipv4Bytes(ip))),
  );

  const extensions = sequence(
    extension(OID.keyUsage, true, namedBitString([KU_DIGITAL_SIGNATURE, KU_KEY_ENCIPHERMENT, KU_KEY_AGREEMENT, KU_KEY_CERT_SIGN])),
    extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth), oid(OID.clientAuth))),
    // cA TRUE, no pathLenConstraint: the certificate is its own trust anchor.
    extension(OID.basicConstraints, true, sequence(boolean(true))),
    extension(OID.subjectKeyIdentifier, false, octetString(keyId)),
    extension(OID.subjectAltName, false, altNames),
  );

  // ecdsa-with-SHA256: RFC 5758 says parameters MUST be absent (not NULL).
  const signatureAlgorithm = sequence(oid(OID.ecdsaWithSha256));
  // Whole seconds: the DER times have no fractions.
  const base = Math.floor(now.getTime() / 1000) * 1000;

  const tbs = sequence(
    explicitTag(0, integer(2)), // version v3
    integer(randomSerial()),
    signatureAlgorithm,
    name, // issuer = subject (self-signed)
    sequence(x509Time(new Date(base - NOT_BEFORE_BACKDATE_MS)), x509Time(new Date(base + VALIDITY_MS))),
    name,
    spki,
    explicitTag(3, extensions),
  );

  // Node's ECDSA signature is DER Ecdsa-Sig-Value, which is what X.509 carries.
  const signature = crypto.sign("sha256", tbs, { key: privateKey, dsaEncoding: "der" });
  const certDer = sequence(tbs, signatureAlgorithm, bitString(signature));

  let keyPem: string | undefined;
  return {
    certPem: toPem("CERTIFICATE", certDer),
    // The PKCS#8 export (~1.4 ms on Node 26) waits until a TLS server or client needs it, which
    // for a plugin is Terraform's first connection, after the handshake line.
    get keyPem() {
      keyPem ??= privateKey.export({ type: "pkcs8", format: "pem" }).toString();
      return keyPem;
    },
    certDer,
    handshakeCert: certDer.toString("base64").replace(/=+$/, ""),
  };
}

/** `node:crypto`, loaded when a certificate is made: a plaintext (debug) start needs none. */
function loadCrypto(): typeof import("node:crypto") {
  return process.getBuiltinModule("node:crypto");
}

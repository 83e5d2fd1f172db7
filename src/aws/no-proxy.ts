/**
 * Which hosts skip the proxy, with the rules of Go's net/http (which the official provider
 * uses): `*` matches everything; `example.com` matches it and its subdomains, `.example.com`
 * only subdomains; an IP address or CIDR range matches addresses; `host:port` only that port.
 * Loopback hosts (localhost, 127.0.0.0/8, ::1) never go through a proxy, so local endpoints
 * such as LocalStack keep working behind a corporate HTTPS_PROXY.
 */
import { BlockList, isIP } from "node:net";

export type ProxyBypass = (host: string, port: number) => boolean;

export function proxyBypass(noProxy: string | undefined): ProxyBypass {
  const entries = (noProxy ?? "")
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  const all = entries.includes("*");
  const ranges = new BlockList();
  const names: { name: string; port?: number; subdomainsOnly: boolean }[] = [];
  for (const entry of entries) {
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr && isIP(cidr[1]!)) {
      ranges.addSubnet(cidr[1]!, Number(cidr[2]), isIP(cidr[1]!) === 6 ? "ipv6" : "ipv4");
      continue;
    }
    const bare = entry.replace(/^\[(.*)\]$/, "$1");
    if (isIP(bare)) {
      ranges.addAddress(bare, isIP(bare) === 6 ? "ipv6" : "ipv4");
      continue;
    }
    const withPort = /^(.*?)(?::(\d+))?$/.exec(entry)!;
    const name = withPort[1]!.replace(/^\*\./, ".");
    names.push({ name: name.replace(/^\./, ""), subdomainsOnly: name.startsWith("."), ...(withPort[2] ? { port: Number(withPort[2]) } : {}) });
  }
  return (rawHost, port) => {
    const host = rawHost
      .toLowerCase()
      .replace(/^\[(.*)\]$/, "$1")
      .replace(/\.$/, "");
    if (host === "localhost") return true;
    const ip = isIP(host);
    if (ip) {
      const family = ip === 6 ? "ipv6" : "ipv4";
      if (host === "::1" || (ip === 4 && host.startsWith("127."))) return true;
      return all || ranges.check(host, family);
    }
    if (all) return true;
    return names.some((n) => (n.port === undefined || n.port === port) && (host.endsWith(`.${n.name}`) || (!n.subdomainsOnly && host === n.name)));
  };
}

// Guards what the server fetches on a customer's behalf (their domain's site, a URL they gave): public addresses only, never loopback, private, link-local or cloud metadata — outside the sandbox.
import dns from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Special-purpose ranges (IANA IPv4/IPv6 special-purpose registries) nothing on the public internet lives in. */
const notPublic = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, where cloud metadata lives (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
] as const) {
  notPublic.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 127], // unspecified and loopback
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 23], // protocol assignments (Teredo among them, which embeds an IPv4 address)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4, which embeds an IPv4 address
  ['fc00::', 7], // unique local (private)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  notPublic.addSubnet(net, prefix, 'ipv6');
}

/** True for an address on the public internet (an IPv4-mapped IPv6 address is judged as the IPv4 address it carries); false for loopback, private, link-local, metadata and other special ranges (and for what is not an address). */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return false;
  return !notPublic.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

export class UnsafeUrlError extends Error {
  readonly code = 'url_not_public';
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`refused to fetch ${url}: ${reason}`);
    this.name = 'UnsafeUrlError';
  }
}

export interface SafeUrlOptions {
  /** the sandbox world lives on loopback: allow it there, and only there */
  allowPrivate?: boolean;
  /** name resolution (tests give their own); every address must be public, not just the first */
  lookup?: (host: string) => Promise<string[]>;
}

const systemLookup = async (host: string) => (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Check a URL before fetching it: http(s) only, no credentials in it, and a host whose every address is public.
 * Returns the address to connect to, so the caller connects to what was checked (no second lookup an attacker's DNS
 * could answer differently: DNS rebinding); the name goes in Host and SNI.
 */
export async function resolvePublicUrl(raw: string, opts: SafeUrlOptions = {}): Promise<{ url: URL; address: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError(raw, 'not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UnsafeUrlError(raw, `scheme ${url.protocol} not allowed`);
  if (url.username || url.password) throw new UnsafeUrlError(raw, 'credentials in the URL');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await (opts.lookup ?? systemLookup)(host).catch(() => [] as string[]);
  if (!addresses.length) throw new UnsafeUrlError(raw, `${host} does not resolve`);
  if (!opts.allowPrivate) {
    const bad = addresses.find((a) => !isPublicAddress(a));
    if (bad) throw new UnsafeUrlError(raw, `${host} resolves to ${bad}, which is not a public address`);
  }
  return { url, address: addresses[0]! };
}

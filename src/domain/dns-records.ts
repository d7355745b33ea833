// The DNS records a customer may keep on their domain: what each type's value must look like, and which sets of
// records DNS allows. Pure rules: the account module reads and writes the registrar, this says what is valid.
import type { ErrorCode } from '../error-codes.ts';

/** The types the customer's space manages (Namecheap's setHosts takes more: URL redirects, MXE, … are left as they are). */
export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT'] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

/** Namecheap's setHosts: "TTL … Possible values: any value between 60 to 60000", 1800 by default (namecheap.com/support/api/methods/domains-dns/set-hosts). */
export const TTL_MIN = 60;
export const TTL_MAX = 60_000;
export const TTL_DEFAULT = 1800;
/** An MX preference is a 16-bit unsigned integer (RFC 1035 §3.3.9). */
export const MX_PRIORITY_MAX = 65_535;
/**
 * A TXT record holds character-strings of at most 255 octets each (RFC 1035 §3.3.14); longer values go out as several
 * strings of one record (what the sandbox DNS and Namecheap's servers do). 2,048 covers SPF, verification tokens and
 * 2048-bit DKIM keys; quotes are the zone-file syntax, not the value, so none are taken inside.
 */
export const TXT_MAX = 2048;
/** Records one domain may hold through the customer's space (a bound on what every change reads and writes back). */
export const MAX_RECORDS = 100;
/**
 * Namecheap's setHosts note: "up to 127 labels …, each label up to 63 characters. The whole domain name cannot exceed
 * 255 characters"; DNS itself caps a name at 253 characters in text form (RFC 1035 §2.3.4).
 */
const LABEL = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;
const NAME_MAX = 253;

export interface DnsRecord {
  type: DnsRecordType;
  /** '@' for the domain itself, else the name relative to it ('www', '_dmarc', 'selector1._domainkey') */
  host: string;
  /** normalised: lower-case host names without their final dot, canonical addresses, TXT as its text */
  value: string;
  ttl: number;
  /** MX only */
  priority?: number;
}

export interface RecordProblem {
  field: 'type' | 'host' | 'value' | 'ttl' | 'priority';
  code: ErrorCode;
  params?: Record<string, unknown>;
}

/** A host name relative to `domain`: '@', a relative name, or the full name (with or without its final dot) made relative. */
export function relativeHost(host: string, domain: string): string | RecordProblem {
  let h = host.trim().toLowerCase().replace(/\.$/, '');
  if (h === '' || h === '@' || h === domain) return '@';
  if (h.endsWith(`.${domain}`)) h = h.slice(0, -(domain.length + 1));
  const labels = h.split('.');
  const ok = labels.every((l, i) => LABEL.test(l) || (l === '*' && i === 0)) && h.length + domain.length + 1 <= NAME_MAX;
  return ok ? h : { field: 'host', code: 'dns_host_invalid' };
}

/** An IPv4 address in dotted-quad form, each part 0-255 without leading zeros (which some parsers read as octal). */
export function isIpv4(v: string): boolean {
  const parts = v.split('.');
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** An IPv6 address (RFC 4291 §2.2: eight groups of 1-4 hex digits, one "::", an IPv4 tail allowed); no zone id, no prefix. */
export function isIpv6(v: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(v) || v.split('::').length > 2) return false;
  let groups = v.split(':');
  let width = 8;
  const tail = groups.at(-1) ?? '';
  if (tail.includes('.')) {
    if (!isIpv4(tail)) return false;
    groups = groups.slice(0, -1);
    width = 6;
  }
  const hex = (g: string) => /^[0-9a-fA-F]{1,4}$/.test(g);
  if (v.includes('::')) {
    const [left, right] = v.split('::') as [string, string];
    const l = left ? left.split(':') : [];
    const r = right ? right.split(':').slice(0, width === 6 ? -1 : undefined) : [];
    return [...l, ...r].every(hex) && l.length + r.length < width;
  }
  return groups.length === width && groups.every(hex);
}

/** A host name another record points to (CNAME, MX): letters, digits, hyphens, underscores, at least two labels, not an address. */
export function targetName(v: string): string | undefined {
  const t = v.trim().toLowerCase().replace(/\.$/, '');
  if (t.length > NAME_MAX || isIpv4(t)) return undefined;
  const labels = t.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && /[a-z]/.test(labels.at(-1)!) ? t : undefined;
}

/** A TXT value as typed (one pair of enclosing quotes, the zone-file way, is taken off), or undefined when it is not one. */
export function txtValue(v: string): string | undefined {
  let t = v.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1);
  return t.length >= 1 && t.length <= TXT_MAX && /^[\x20-\x7e]+$/.test(t) && !t.includes('"') ? t : undefined;
}

/** The value of a record of `type`, normalised, or the problem with it. */
export function recordValue(type: DnsRecordType, value: string): string | RecordProblem {
  const v = value.trim();
  switch (type) {
    case 'A':
      return isIpv4(v) ? v : { field: 'value', code: 'dns_ipv4_invalid' };
    case 'AAAA':
      return isIpv6(v) ? v.toLowerCase() : { field: 'value', code: 'dns_ipv6_invalid' };
    case 'CNAME':
    case 'MX':
      return targetName(v) ?? { field: 'value', code: 'dns_target_invalid' };
    case 'TXT':
      return txtValue(v) ?? { field: 'value', code: 'dns_txt_invalid', params: { max: TXT_MAX } };
  }
}

/** A record as the customer sends it, checked and normalised against its domain; every problem found, field by field. */
export function parseRecord(
  input: { type: DnsRecordType; host: string; value: string; ttl?: number; priority?: number },
  domain: string,
): DnsRecord | RecordProblem[] {
  const problems: RecordProblem[] = [];
  const host = relativeHost(input.host, domain);
  if (typeof host !== 'string') problems.push(host);
  const value = recordValue(input.type, input.value);
  if (typeof value !== 'string') problems.push(value);
  if (input.type !== 'MX' && input.priority !== undefined) problems.push({ field: 'priority', code: 'field_invalid' });
  if (problems.length) return problems;
  const record: DnsRecord = { type: input.type, host: host as string, value: value as string, ttl: input.ttl ?? TTL_DEFAULT };
  if (input.type === 'MX') record.priority = input.priority ?? 10;
  return record;
}

const sameRecord = (a: DnsRecord, b: DnsRecord) =>
  a.type === b.type && a.host === b.host && a.value === b.value && (a.priority ?? null) === (b.priority ?? null);

/**
 * Whether `record` may join `existing` (the domain's whole set, other types included): no CNAME at the apex, a CNAME
 * alone on its name (RFC 1034 §3.6.2, RFC 2181 §10.1), no record twice, and the set within MAX_RECORDS.
 */
export function additionProblem(
  existing: readonly { type: string; host: string; value: string; priority?: number }[],
  record: DnsRecord,
): RecordProblem | undefined {
  if (record.type === 'CNAME' && record.host === '@') return { field: 'host', code: 'dns_cname_at_apex' };
  const sameHost = existing.filter((r) => r.host === record.host);
  if (sameHost.some((r) => r.type === 'CNAME') || (record.type === 'CNAME' && sameHost.length > 0)) {
    return { field: 'host', code: 'dns_cname_conflict', params: { host: record.host } };
  }
  if (existing.some((r) => sameRecord(r as DnsRecord, record))) return { field: 'value', code: 'dns_record_exists' };
  if (existing.length >= MAX_RECORDS) return { field: 'value', code: 'dns_too_many_records', params: { max: MAX_RECORDS } };
  return undefined;
}

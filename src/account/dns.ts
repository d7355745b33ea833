// The domain's DNS records from the customer's space. Namecheap's setHosts replaces the whole set, so every change
// reads the registrar's current set, merges, and writes it all back, one change per domain at a time (a PostgreSQL
// advisory lock held across read and write): two changes at once are applied one after the other, neither lost.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import type { Order } from '../db/schema.ts';
import type { Locale } from '../domain/locale.ts';
import { additionProblem, DNS_RECORD_TYPES, parseRecord, type DnsRecord, type DnsRecordType, type RecordProblem } from '../domain/dns-records.ts';
import { MAIL_PRESETS, presetRecords } from '../domain/mail-presets.ts';
import type { CallPriority, EmailType, HostRecord, Registrar } from '../providers/registrar/index.ts';
import { recordProviderCall } from '../db/provider-calls.ts';
import { AppError, ProviderError } from '../errors.ts';
import { errorMessage } from '../http/error-messages.ts';
import { validationError } from '../http/field-problems.ts';

export interface RecordView {
  id: string;
  type: string;
  host: string;
  value: string;
  ttl: number;
  priority?: number;
  protected: boolean;
}

export type MailRouting = 'none' | 'mx' | 'forwarding' | 'other';

/** What the registrar holds for a domain, as the space shows it, with the raw set to write back. */
export interface ZoneState {
  records: RecordView[];
  mail: MailRouting;
  hosts: HostRecord[];
  emailType: EmailType;
}

const MANAGED = new Set<string>(DNS_RECORD_TYPES);
const bare = (name: string) => name.trim().toLowerCase().replace(/\.$/, '');

/** Stable across reads and writes (the registrar's HostId is renumbered at every setHosts): a digest of what the record says. */
export function recordId(r: { type: string; host: string; value: string; priority?: number }): string {
  return crypto
    .createHash('sha256')
    .update(`${r.type}\n${r.host}\n${r.value}\n${r.priority ?? ''}`)
    .digest('base64url')
    .slice(0, 16);
}

/** A registrar record as the space shows it: host names normalised, so its id is the one a customer's input gets. */
function view(h: HostRecord, order: Order, deps: Deps): RecordView {
  const host = bare(h.name) || '@';
  const value = h.type === 'CNAME' || h.type === 'MX' ? bare(h.address) : h.address;
  const targets = deps.hosting.dnsTargets({ siteId: order.site_id!, name: order.site_name!, defaultDomain: order.site_domain! });
  const servesSite =
    (host === '@' && h.type === 'A' && targets.apexA.includes(value)) || (host === 'www' && h.type === 'CNAME' && value === bare(targets.wwwCname));
  const out: RecordView = { id: '', type: h.type, host, value, ttl: h.ttl ?? 1800, protected: servesSite || !MANAGED.has(h.type) };
  if (h.type === 'MX') out.priority = h.mxPref ?? 10;
  out.id = recordId(out);
  return out;
}

function mailOf(hosts: HostRecord[], emailType: EmailType): MailRouting {
  if (emailType === 'FWD') return 'forwarding';
  if (emailType === 'MX' && hosts.some((h) => h.type === 'MX')) return 'mx';
  return emailType === 'NONE' || emailType === 'MX' ? 'none' : 'other';
}

/**
 * A registrar call on behalf of an order, recorded like the pipeline's (provider_calls, /metrics), spending the shared
 * budget: a paid customer's changes rank with purchases and the pipeline's DNS ('order'); reading for the page alone
 * ranks with the checks a customer waits on ('confirm'), so that reloads never take the calls a purchase needs.
 */
export const call = <T>(deps: Deps, order: Order, operation: string, fn: (registrar: Registrar) => Promise<T>, priority: CallPriority = 'order') =>
  recordProviderCall(deps.db, { orderId: order.id, provider: deps.registrar.name, operation }, () => fn(deps.registrar.at(priority)));

export async function readZone(deps: Deps, order: Order, priority: CallPriority = 'order'): Promise<ZoneState> {
  const { records: hosts, emailType } = await call(deps, order, 'dns.getHosts', (r) => r.readHosts(order.domain), priority);
  return { records: hosts.map((h) => view(h, order, deps)), mail: mailOf(hosts, emailType), hosts, emailType };
}

/** This process's changes waiting per domain: one at a time reaches PostgreSQL, the others wait here without a connection. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `change` while holding the domain's lock: every change of a domain through the space, in every process, waits
 * its turn (a transaction-scoped advisory lock, released even when the process dies). Within a process the changes of
 * one domain queue in memory first, so a burst of them holds one pooled connection, not one each.
 */
export function withDomainLock<T>(deps: Deps, domain: string, change: () => Promise<T>): Promise<T> {
  const locked = () =>
    deps.db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`account-dns:${domain}`}, 0))`.execute(tx);
      return change();
    });
  const previous = queues.get(domain) ?? Promise.resolve();
  const mine = previous.then(locked, locked);
  const tail = mine.catch(() => undefined);
  queues.set(domain, tail);
  void tail.then(() => queues.get(domain) === tail && queues.delete(domain));
  return mine;
}

export async function writeZone(deps: Deps, order: Order, hosts: HostRecord[], emailType: EmailType): Promise<void> {
  await call(deps, order, 'dns.setHosts', (r) => r.writeHosts(order.domain, hosts, emailType));
}

const toHost = (r: DnsRecord): HostRecord => ({ name: r.host, type: r.type, address: r.value, ttl: r.ttl, ...(r.type === 'MX' ? { mxPref: r.priority } : {}) });

/** The problems, as the 422 every field check answers (or the status a conflict with the set takes). */
function refuse(problems: RecordProblem[], locale: Locale, status = 422): AppError {
  const fields = problems.map((p) => ({
    field: p.field,
    code: p.code,
    message: errorMessage(p.code, locale, p.params),
    ...(p.params ? { params: p.params } : {}),
  }));
  const err = validationError(fields, locale);
  return status === 422 ? err : new AppError(err.code, status, err.params, err.extra);
}

const STATUS_OF: Partial<Record<RecordProblem['code'], number>> = {
  dns_cname_conflict: 409,
  dns_record_exists: 409,
  dns_too_many_records: 409,
};

/** Checks `records` in turn against the set (and each other): the first problem refuses the whole change. */
function merge(zone: ZoneState, records: DnsRecord[], locale: Locale, skipExisting: boolean): DnsRecord[] {
  const set: { type: string; host: string; value: string; priority?: number }[] = zone.records.map((r) => ({ ...r }));
  const added: DnsRecord[] = [];
  for (const r of records) {
    // the site's own names: another address at the apex, or anything at www, would take visitors elsewhere
    if (r.host === '@' && (r.type === 'A' || r.type === 'AAAA')) throw new AppError('dns_record_protected', 409);
    if (r.type === 'MX' && zone.mail === 'forwarding') throw new AppError('mail_routing_conflict', 409, { reason: 'forwarding_on' });
    const problem = additionProblem(set, r);
    if (problem?.code === 'dns_record_exists' && skipExisting) continue;
    if (problem) throw refuse([problem], locale, STATUS_OF[problem.code] ?? 422);
    set.push(r);
    added.push(r);
  }
  return added;
}

/** Where the email goes once `hosts` are written: to the MX records when there are some, else as it went (never MX without one). */
const emailTypeFor = (hosts: HostRecord[], before: EmailType): EmailType => (hosts.some((h) => h.type === 'MX') ? 'MX' : before === 'MX' ? 'NONE' : before);

export interface Changed {
  zone: ZoneState;
  record?: RecordView;
  propagated: boolean;
}

type RecordInput = { type: DnsRecordType; host: string; value: string; ttl?: number; priority?: number };

/** Each input checked on its own (syntax, TTL, priority) before anything is read: 422 with every field's problem. */
function parseAll(inputs: RecordInput[], domain: string, locale: Locale): DnsRecord[] {
  return inputs.map((input) => {
    const parsed = parseRecord(input, domain);
    if (Array.isArray(parsed)) throw refuse(parsed, locale);
    return parsed;
  });
}

/** The record of `id` in the set, which the space may change (404 when it is not there, 409 when it serves the site). */
function editable(zone: ZoneState, id: string): number {
  const index = zone.records.findIndex((r) => r.id === id);
  if (index < 0) throw new AppError('dns_record_not_found', 404);
  if (zone.records[index]!.protected) throw new AppError('dns_record_protected', 409);
  return index;
}

/**
 * Writes `hosts` (the whole set) and reads it back. The set read back must hold what was written: a registrar that
 * dropped a record (an MX without its EmailType) or a write from elsewhere in between is a failure to report.
 */
async function commit(deps: Deps, order: Order, zone: ZoneState, hosts: HostRecord[], added: DnsRecord[], removed?: RecordView): Promise<Changed> {
  await writeZone(deps, order, hosts, emailTypeFor(hosts, zone.emailType));
  const after = await readZone(deps, order);
  const missing = added.filter((r) => !after.records.some((v) => v.id === recordId(r)));
  if (missing.length) throw new ProviderError(deps.registrar.name, 'server_error', `${order.domain}: setHosts did not keep ${missing.length} record(s)`, true);
  const seen = await Promise.all([
    ...added.map((r) => answered(deps, order.domain, r)),
    ...(removed ? [answered(deps, order.domain, removed as DnsRecord)] : []),
  ]);
  const propagated = seen.every((yes, i) => (i < added.length ? yes : !yes));
  return { zone: after, record: added[0] && after.records.find((v) => v.id === recordId(added[0]!)), propagated };
}

export function addRecords(deps: Deps, order: Order, inputs: RecordInput[], locale: Locale, opts: { skipExisting?: boolean } = {}): Promise<Changed> {
  const records = parseAll(inputs, order.domain, locale);
  return withDomainLock(deps, order.domain, async () => {
    const zone = await readZone(deps, order);
    const added = merge(zone, records, locale, opts.skipExisting ?? false);
    if (!added.length) return { zone, propagated: true };
    return commit(deps, order, zone, [...zone.hosts, ...added.map(toHost)], added);
  });
}

/** One record replaced by another in one write (a change of value, TTL or priority): checked against the set without the old one. */
export function replaceRecord(deps: Deps, order: Order, id: string, input: RecordInput, locale: Locale): Promise<Changed> {
  const [record] = parseAll([input], order.domain, locale);
  return withDomainLock(deps, order.domain, async () => {
    const zone = await readZone(deps, order);
    const index = editable(zone, id);
    const rest: ZoneState = { ...zone, records: zone.records.filter((_, i) => i !== index), hosts: zone.hosts.filter((_, i) => i !== index) };
    const added = merge(rest, [record!], locale, false);
    const hosts = [...zone.hosts.slice(0, index), toHost(record!), ...zone.hosts.slice(index + 1)];
    const changedId = recordId(record!) !== id;
    return commit(deps, order, zone, hosts, added, changedId ? zone.records[index] : undefined);
  });
}

export function removeRecord(deps: Deps, order: Order, id: string): Promise<Changed> {
  return withDomainLock(deps, order.domain, async () => {
    const zone = await readZone(deps, order);
    const index = editable(zone, id);
    return commit(
      deps,
      order,
      zone,
      zone.hosts.filter((_, i) => i !== index),
      [],
      zone.records[index],
    );
  });
}

/** A mail provider's preset: its records added in one change; those already there are left as they are. */
export function applyPreset(deps: Deps, order: Order, presetId: string, locale: Locale): Promise<Changed> {
  const preset = MAIL_PRESETS.find((p) => p.id === presetId);
  if (!preset) throw new AppError('value_not_allowed', 422, { values: MAIL_PRESETS.map((p) => p.id) });
  return addRecords(deps, order, presetRecords(preset, order.domain), locale, { skipExisting: true });
}

/** Does the domain's DNS already answer `record`? One lookup through the app's resolver; a failed lookup counts as not yet. */
async function answered(deps: Deps, domain: string, record: Pick<DnsRecord, 'type' | 'host' | 'value' | 'priority'>): Promise<boolean> {
  const name = record.host === '@' ? domain : `${record.host.replace(/^\*/, 'any-name')}.${domain}`;
  const expected = record.type === 'MX' ? `${record.priority ?? 10} ${record.value}` : record.value;
  try {
    return (await deps.resolver.records(name, record.type as DnsRecordType)).includes(expected);
  } catch {
    return false;
  }
}

// The alert rules about delivered sites: down (alone or many at once), and a certificate or a domain close to expiry.
import { sql } from 'kysely';
import type { Config } from '../config.ts';
import type { Deps } from '../deps.ts';
import { LIMIT, type Rule } from './rule.ts';

const day = (at: Date) => at.toISOString().slice(0, 10);
const daysUntil = (at: Date) => Math.floor((at.getTime() - Date.now()) / 86_400_000);

const openSiteIncidents = async (db: Deps['db']) =>
  Number((await sql<{ n: string }>`select count(*) as n from site_incidents where closed_at is null`.execute(db)).rows[0]!.n);

export const siteDown: Rule = {
  name: 'site_down',
  title: 'Site down',
  description:
    'a delivered site with an open incident (MONITOR_FAILURES_BEFORE_DOWN failed HTTPS checks in a row, until one succeeds); from ALERT_SITES_DOWN_GROUP_THRESHOLD sites down at once, no new one is alerted alone (many_sites_down speaks for them)',
  async evaluate({ db, config }) {
    const grouped = (await openSiteIncidents(db)) >= config.ALERT_SITES_DOWN_GROUP_THRESHOLD;
    let query = db
      .selectFrom('site_incidents')
      .select(['id', 'order_id', 'domain', 'started_at', 'failed_checks', 'last_error', 'customer_notified_at'])
      .where('closed_at', 'is', null)
      .orderBy('started_at')
      .limit(LIMIT);
    // in a mass outage the sites already alerted keep their alert (no resolve storm); the others are counted, not announced
    if (grouped)
      query = query.where('domain', 'in', (eb) => eb.selectFrom('alerts').select('subject').where('rule', '=', 'site_down').where('state', '=', 'open'));
    const rows = await query.execute();
    return rows.map((i) => ({
      subject: i.domain,
      severity: 'critical',
      summary: `${i.domain} is down since ${i.started_at.toISOString()} (${i.failed_checks} failed checks): ${i.last_error ?? 'no answer'}`,
      details: {
        incidentId: i.id,
        orderId: i.order_id,
        domain: i.domain,
        since: i.started_at,
        failedChecks: i.failed_checks,
        lastError: i.last_error,
        customerNotified: !!i.customer_notified_at,
      },
    }));
  },
};

export const manySitesDown: Rule = {
  name: 'many_sites_down',
  title: 'Many sites down',
  description:
    'ALERT_SITES_DOWN_GROUP_THRESHOLD or more delivered sites down at once: one alert for a shared cause (the host, DNS, certificates) instead of one per site',
  async evaluate({ db, config }) {
    const { rows } = await sql<{ n: string; since: Date | null; sample: string[] | null; errors: Record<string, number> | null }>`
      select count(*) as n, min(started_at) as since,
        (array_agg(domain order by started_at))[1:20] as sample,
        (select jsonb_object_agg(e, c) from (select coalesce(last_error, 'no answer') as e, count(*) as c from site_incidents
          where closed_at is null group by 1 order by 2 desc limit 5) t) as errors
      from site_incidents where closed_at is null`.execute(db);
    const r = rows[0]!;
    const n = Number(r.n);
    if (n < config.ALERT_SITES_DOWN_GROUP_THRESHOLD) return [];
    return [
      {
        subject: 'sites',
        severity: 'critical',
        summary: `${n} delivered sites are down at once (since ${r.since!.toISOString()}; e.g. ${(r.sample ?? []).slice(0, 5).join(', ')}): a shared cause?`,
        details: { down: n, since: r.since, sample: r.sample ?? [], errors: r.errors ?? {}, threshold: config.ALERT_SITES_DOWN_GROUP_THRESHOLD },
      },
    ];
  },
};

/** A watched site whose certificate or registration expires within its warning days: warning, then critical within `criticalDays`. */
function expiring(
  rule: Pick<Rule, 'name' | 'title' | 'description'> & {
    column: 'cert_expires_at' | 'domain_expires_at';
    warnDays: (config: Config) => number;
    criticalDays: number;
    what: string;
  },
): Rule {
  const column = `m.${rule.column}` as const;
  return {
    ...rule,
    async evaluate({ db, config }) {
      const warnDays = rule.warnDays(config);
      const rows = await db
        .selectFrom('monitors as m')
        .innerJoin('orders as o', 'o.id', 'm.order_id')
        .select(['m.order_id', 'o.domain', `${column} as expires_at`])
        .where('m.enabled', '=', true)
        .where(column, '<', new Date(Date.now() + warnDays * 86_400_000))
        .orderBy(column)
        .limit(LIMIT)
        .execute();
      return rows.map((m) => {
        const at = m.expires_at!;
        return {
          subject: m.domain,
          severity: daysUntil(at) < rule.criticalDays ? 'critical' : 'warning',
          summary: `${m.domain}: ${rule.what} expires on ${day(at)} (in ${daysUntil(at)} days)`,
          details: { orderId: m.order_id, domain: m.domain, expiresAt: at, warnDays },
        };
      });
    },
  };
}

export const certificateExpiring = expiring({
  name: 'certificate_expiring',
  title: 'Certificate expiring',
  description: 'a watched site whose HTTPS certificate (as its TLS handshake presents it) expires within CERT_EXPIRY_WARN_DAYS; critical within 2 days',
  column: 'cert_expires_at',
  warnDays: (c) => c.CERT_EXPIRY_WARN_DAYS,
  criticalDays: 2,
  what: 'HTTPS certificate',
});

export const domainExpiring = expiring({
  name: 'domain_expiring',
  title: 'Domain expiring',
  description: 'a watched site whose domain registration (the registrar’s domain list) expires within DOMAIN_EXPIRY_WARN_DAYS; critical within 7 days',
  column: 'domain_expires_at',
  warnDays: (c) => c.DOMAIN_EXPIRY_WARN_DAYS,
  criticalDays: 7,
  what: 'domain registration',
});

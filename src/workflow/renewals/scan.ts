// The renewal scan (one job for all workers, run every RENEWAL_SCAN_SECONDS and idempotent): expiry reminders due,
// renewals due to be charged, dunning links due, expired renewals into their grace period, and grace periods over.
// Each pass is one set-based statement on its own partial index of dates, so 100,000 delivered domains cost the rows
// due today, not a walk through all of them; what a pass changes and the jobs it queues commit together.
import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { Tx } from '../../db/database.ts';
import type { Locale } from '../../domain/locale.ts';
import { emailRow } from '../../emails/outbox.ts';
import { renewalReminderEmail } from '../../emails/renewal.ts';
import { trackingUrl } from '../payment-link.ts';
import { enqueue } from '../jobs/enqueue.ts';
import { chargeOf } from './invoice.ts';
import { savedMethodText } from './charge.ts';

export interface ScanResult {
  /** plans that took the registrar's later expiry (renewed elsewhere) */
  followed: number;
  reminders: number;
  charges: number;
  links: number;
  grace: number;
  lost: number;
}

/** States whose customer still gets the expiry reminders (a charge in flight or paid says nothing new). */
const REMINDED_STATES = ['scheduled', 'dunning'];

export async function runRenewalScan(deps: Deps, now = new Date()): Promise<ScanResult> {
  const result: ScanResult = { followed: 0, reminders: 0, charges: 0, links: 0, grace: 0, lost: 0 };
  result.followed = await followRegistrar(deps, now);
  result.reminders = await deps.db.transaction().execute((tx) => reminders(deps, tx, now));
  result.charges = await deps.db.transaction().execute((tx) => chargesDue(deps, tx, now));
  result.grace = await deps.db.transaction().execute((tx) => intoGrace(deps, tx, now));
  await intoRedemption(deps, now);
  result.links = await deps.db.transaction().execute((tx) => dunningDue(deps, tx, now));
  result.lost = await deps.db.transaction().execute((tx) => graceOver(deps, tx, now));
  if (Object.values(result).some((n) => n > 0)) deps.log.info({ event: 'renewal_scan', ...result }, 'renewal scan');
  return result;
}

/**
 * The registrar's expiry, as its domain list walk leaves it on the monitor (src/monitoring/sites.ts), moves a scheduled
 * plan when it is more than a day later than ours (renewed at the registrar by other means): reminders and the charge
 * follow the new date. Never earlier: a page of the walk read before our own renewal must not take a year back.
 */
async function followRegistrar(deps: Deps, now: Date): Promise<number> {
  const { rows } = await sql<{ order_id: string }>`
    update renewals r
       set expires_at = m.domain_expires_at,
           charge_at = m.domain_expires_at - make_interval(secs => ${deps.config.RENEWAL_CHARGE_DAYS_BEFORE * 86_400}),
           reminded_days = null, updated_at = ${now}
      from monitors m
     where m.order_id = r.order_id and r.state = 'scheduled' and m.domain_expires_at > r.expires_at + interval '1 day'
    returning r.order_id`.execute(deps.db);
  return rows.length;
}

/**
 * The reminder due for each registration expiring within 60 days: the latest of 60, 30, 7 and 0 days before expiry
 * that has passed (a scan that missed days sends the latest only), once per expiry (reminded_days, reset when the
 * expiry moves). Marked and queued in one transaction: a crash sends neither.
 */
async function reminders(deps: Deps, tx: Tx, now: Date): Promise<number> {
  const { rows } = await sql<{
    order_id: string;
    stage: number;
    expires_at: Date;
    charge_at: Date | null;
    auto_renew: boolean;
    price_cents: number;
    charge_cents: number | null;
    currency: string;
    card_brand: string | null;
    card_last4: string | null;
    payer_email_masked: string | null;
    link_url: string | null;
    email: string;
    locale: Locale;
    business_name: string;
    domain_unicode: string;
    tracking_token: string;
  }>`
    with due as (
      select order_id, case when d <= 0 then 0 when d <= 7 then 7 when d <= 30 then 30 else 60 end as stage
        from (select order_id, (expires_at at time zone 'UTC')::date - (${now}::timestamptz at time zone 'UTC')::date as d
                from renewals
               where state = any(${REMINDED_STATES}::text[]) and expires_at >= ${now}::timestamptz - interval '1 day'
                 and expires_at < ${now}::timestamptz + interval '61 days') x
       where d between 0 and 60
    ), marked as (
      update renewals r set reminded_days = due.stage from due
       where r.order_id = due.order_id and (r.reminded_days is null or r.reminded_days > due.stage)
      returning r.*, due.stage
    )
    select m.order_id, m.stage, m.expires_at, m.charge_at, m.auto_renew, m.price_cents, m.charge_cents, m.currency, m.card_brand, m.card_last4,
           m.payer_email_masked, a.link_url, o.email, o.locale, o.business_name, o.domain_unicode, o.tracking_token
      from marked m join orders o on o.id = m.order_id
      left join renewal_attempts a on a.order_id = m.order_id and a.from_expiry = (m.expires_at at time zone 'UTC')::date`.execute(tx);
  if (!rows.length) return 0;
  const emails = rows.map((r) => {
    const rendered = renewalReminderEmail(
      {
        businessName: r.business_name,
        domain: r.domain_unicode,
        supportEmail: deps.config.SUPPORT_EMAIL,
        expiresAt: r.expires_at,
        // the figure the charge takes: the renewal's total with the buyer's VAT
        priceCents: chargeOf(r),
        currency: r.currency,
        autoRenew: r.auto_renew,
        chargeAt: r.charge_at && r.charge_at > now ? r.charge_at : now,
        savedMethod: savedMethodText(r),
        trackingUrl: trackingUrl(deps.config.publicUrl, { tracking_token: r.tracking_token, locale: r.locale }),
        paymentUrl: r.link_url ?? undefined,
      },
      r.locale,
    );
    const key = `renewal-reminder:${r.order_id}:${r.expires_at.toISOString().slice(0, 10)}:${r.stage}`;
    return emailRow({ orderId: r.order_id, kind: 'renewal_reminder', dedupeKey: key, to: r.email, locale: r.locale, rendered });
  });
  // every email and its timeline event in one round trip (queue_email queues each one's send job, migration 012)
  await sql`
    with e as (select value as row from jsonb_array_elements(${JSON.stringify(emails)}::jsonb))
    select queue_email(e.row), add_order_event((e.row->>'order_id')::uuid, 'renewal_reminder', jsonb_build_object('days', split_part(e.row->>'dedupe_key', ':', 4)::int))
      from e`.execute(tx);
  return rows.length;
}

/**
 * Renewals whose charge date has come (auto-renewal on, not yet expired): the attempt of this registration year is
 * created, once (its unique key), and its job queued: an off-session charge when a method is saved, else a link.
 */
async function chargesDue(deps: Deps, tx: Tx, now: Date): Promise<number> {
  const { rows } = await sql<{ id: string }>`
    with due as (
      update renewals set state = 'charging', updated_at = ${now}
       where state = 'scheduled' and auto_renew and charge_at <= ${now} and expires_at > ${now} and price_cents is not null
      returning order_id, expires_at, price_cents, charge_cents, currency, payment_method_ref
    ), attempts as (
      insert into renewal_attempts (id, order_id, from_expiry, amount_cents, charge_cents, currency, method, state)
      select gen_random_uuid(), order_id, (expires_at at time zone 'UTC')::date, price_cents, charge_cents, currency,
             case when payment_method_ref is null then 'link' else 'off_session' end, 'charging'
        from due
      on conflict (order_id, from_expiry) do nothing
      returning id, order_id, method
    )
    select a.id,
           case when a.method = 'off_session' then enqueue_job('renewal_charge', jsonb_build_object('attemptId', a.id))
                else enqueue_job('renewal_link', jsonb_build_object('attemptId', a.id, 'seq', 1)) end as job,
           add_order_event(a.order_id, 'renewal_charge_started', '{}'::jsonb) as event
      from attempts a`.execute(tx);
  void deps;
  return rows.length;
}

/**
 * Registrations expired unpaid (auto-renewal off, declined, or never charged): the grace period starts. The site shows
 * a notice page (renewal_grace), the renewal stays payable by link (its attempt, created here when the scan never
 * charged one), and the dunning pass below sends that link at once.
 */
async function intoGrace(deps: Deps, tx: Tx, now: Date): Promise<number> {
  const { rows } = await sql<{ order_id: string }>`
    with expired as (
      update renewals set state = 'grace', dunning_next_at = ${now}, updated_at = ${now}
       where state in ('scheduled', 'dunning') and expires_at <= ${now}
      returning order_id, expires_at, price_cents, charge_cents, currency
    ), attempts as (
      insert into renewal_attempts (id, order_id, from_expiry, amount_cents, charge_cents, currency, method, state)
      select gen_random_uuid(), order_id, (expires_at at time zone 'UTC')::date, coalesce(price_cents, 0), charge_cents, currency, 'link', 'charging' from expired
      on conflict (order_id, from_expiry) do nothing
    )
    select e.order_id, enqueue_job('renewal_grace', jsonb_build_object('orderId', e.order_id)) as job from expired e`.execute(tx);
  void deps;
  return rows.length;
}

/**
 * A grace period reaching the registrar's redemption: the link out asks for a renewal's price, so the next one is due
 * now, at the restore's price (its job reprices the attempt, redemption.ts). Once per attempt: a repriced one is left.
 */
async function intoRedemption(deps: Deps, now: Date): Promise<void> {
  const after = deps.config.RENEWAL_REDEMPTION_AFTER_DAYS * 86_400;
  await sql`
    update renewals r set dunning_next_at = ${now}, updated_at = ${now}
     where r.state = 'grace' and r.expires_at + make_interval(secs => ${after}) <= ${now} and r.dunning_next_at > ${now}
       and exists (select 1 from renewal_attempts a
                    where a.order_id = r.order_id and a.from_expiry = (r.expires_at at time zone 'UTC')::date
                      and a.state in ('charging', 'declined') and a.redemption_usd_cents is null)`.execute(deps.db);
}

/** Dunning: a fresh payment link every RENEWAL_DUNNING_SPACING_DAYS while a renewal is declined or in grace. */
async function dunningDue(deps: Deps, tx: Tx, now: Date): Promise<number> {
  const spacing = deps.config.RENEWAL_DUNNING_SPACING_DAYS * 86_400;
  const { rows } = await sql<{ id: string }>`
    with due as (
      update renewals set dunning_next_at = ${now}::timestamptz + make_interval(secs => ${spacing}), updated_at = ${now}
       where state in ('dunning', 'grace') and dunning_next_at <= ${now}
      returning order_id, expires_at
    )
    select a.id, enqueue_job('renewal_link', jsonb_build_object('attemptId', a.id, 'seq', a.link_seq + 1)) as job
      from due join renewal_attempts a on a.order_id = due.order_id and a.from_expiry = (due.expires_at at time zone 'UTC')::date
     where a.state in ('charging', 'declined')`.execute(tx);
  return rows.length;
}

/** The grace period is over unpaid: the hosting goes, the monitor stops, the customer is told (renewal_lost). */
async function graceOver(deps: Deps, tx: Tx, now: Date): Promise<number> {
  const grace = deps.config.RENEWAL_GRACE_DAYS * 86_400;
  const { rows } = await sql<{ order_id: string }>`
    with over as (
      update renewals set state = 'lost', dunning_next_at = null, updated_at = ${now}
       where state = 'grace' and expires_at + make_interval(secs => ${grace}) <= ${now}
      returning order_id, expires_at
    ), attempts as (
      update renewal_attempts a set state = 'lost' from over
       where a.order_id = over.order_id and a.from_expiry = (over.expires_at at time zone 'UTC')::date and a.state in ('charging', 'declined')
    )
    select o.order_id, enqueue_job('renewal_lost', jsonb_build_object('orderId', o.order_id)) as job from over o`.execute(tx);
  return rows.length;
}

/** The scan job exists once across all workers (unsafe_dedupe leaves a queued or running one alone). */
export async function ensureRenewalScan(deps: Deps): Promise<void> {
  await enqueue(deps.db, 'renewal_scan', {}, { mode: 'unsafe_dedupe' });
}

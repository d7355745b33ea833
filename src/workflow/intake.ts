// Phase 1: a request becomes a quoted order awaiting payment, with a payment link and a confirmation email.
import crypto from 'node:crypto';
import type { Deps } from '../deps.ts';
import { AppError, ProviderError } from '../errors.ts';
import { parseDomainName, type DomainName } from '../domain/domain-name.ts';
import { alternativeChoiceEvents } from '../domain/alternatives.ts';
import { quote, type Tier } from '../domain/pricing.ts';
import type { Locale } from '../domain/locale.ts';
import { deadlineAt, deadlineHours } from '../domain/deadline.ts';
import { addEvent } from '../db/orders.ts';
import { sql } from 'kysely';
import type { Order, PaymentLinkRow } from '../db/schema.ts';
import type { Holder } from '../domain/holder.ts';
import { eligibilityProblems, eligibleTlds, idnOf, refuseUnsoldIdn } from '../domain/tld-rules.ts';
import { toUnicode } from '../domain/domain-name.ts';
import { enqueue } from './jobs/enqueue.ts';
import { type BillingInput, billingIdentityOf, checkVatNumber, orderTax, type OrderTax } from '../billing/identity.ts';
import { vatSummaryOf } from '../billing/quote.ts';
import { consentOf, type ConsentRequest } from '../legal/consent.ts';
import { issuePaymentLink, paymentLinkIntent, stablePaymentUrl, trackingUrl } from './payment-link.ts';
import { initialRenewal, renewalQuoteCents } from './renewals/plan.ts';

export interface ConciergeRequest {
  businessName: string;
  email: string;
  domain: string;
  tier: Tier;
  locale: Locale;
  city?: string;
  paymentProvider?: 'stripe' | 'paypal';
  /** the name first asked for, when `domain` is another name ordered instead (checked here to really be taken) */
  requestedDomain?: string;
  /** the domain's holder (registrant); its email is the order's when not given */
  holder: Holder;
  /** automatic yearly renewal, on unless the customer turned it off in the form (its consent recorded with the order) */
  autoRenew?: boolean;
  /** who is invoiced, when not the domain's holder */
  billing?: BillingInput;
  /** the terms accepted, who the customer is, a consumer's early-start request (src/legal/consent.ts) */
  acceptTerms?: boolean;
  termsVersion?: string;
  customerType?: ConsentRequest['customerType'];
  earlyStart?: boolean;
}

export interface ConciergeResponse {
  orderId: string;
  trackingToken: string;
  statusUrl: string;
  trackingUrl: string;
  paymentUrl: string;
  domain: string;
  price: { currency: string; items: { code: string; amountCents: number }[]; totalCents: number; premium: boolean; vat?: ReturnType<typeof vatSummaryOf> };
  deadline: { tier: Tier; hours: number; countedFrom: 'payment'; ifPaidNow: string };
  /** next year's price (domain renewal and service), charged before expiry when auto-renewal is on */
  renewal: { amountCents: number; currency: string; autoRenew: boolean };
}

/** 128+ random bits, URL-safe. */
export function newTrackingToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

function requestHash(req: ConciergeRequest): string {
  const canonical = JSON.stringify([
    req.businessName,
    req.email.toLowerCase(),
    req.domain.toLowerCase(),
    req.tier,
    req.locale,
    req.city ?? null,
    req.paymentProvider ?? null,
    // only when given, so that the hashes of requests made before the field existed do not change
    ...(req.requestedDomain ? [req.requestedDomain.toLowerCase()] : []),
    // the holder, its fields in a fixed order
    Object.entries(req.holder).sort(([a], [b]) => a.localeCompare(b)),
    // the billing identity, only when given, its fields in a fixed order
    ...(req.billing ? [Object.entries(req.billing).sort(([a], [b]) => a.localeCompare(b))] : []),
    // the consent's choices, only when given (acceptTerms is always true)
    ...(req.termsVersion || req.customerType || req.earlyStart !== undefined
      ? [[req.termsVersion ?? null, req.customerType ?? null, req.earlyStart ?? null]]
      : []),
    // only when turned off, so that hashes of earlier requests (and of those leaving it on) do not change
    ...(req.autoRenew === false ? ['auto_renew_off'] : []),
  ]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

/** `link`: the order's latest payment link when the caller has it at hand; read otherwise. */
async function responseFor(deps: Deps, order: Order, link?: Pick<PaymentLinkRow, 'url' | 'state'>, tax?: OrderTax): Promise<ConciergeResponse> {
  const base = deps.config.publicUrl;
  tax ??= (await deps.db.selectFrom('order_billing').select('tax').where('order_id', '=', order.id).executeTakeFirst())?.tax;
  link ??= await deps.db.selectFrom('payment_links').select(['url', 'state']).where('order_id', '=', order.id).orderBy('seq', 'desc').executeTakeFirst();
  return {
    orderId: order.id,
    trackingToken: order.tracking_token,
    statusUrl: `${base}/api/concierge/status/${order.tracking_token}`,
    trackingUrl: trackingUrl(base, order),
    // the provider's page when we have it; otherwise our stable link, which leads there once it exists
    paymentUrl: link && link.state === 'open' && link.url ? link.url : stablePaymentUrl(base, order),
    domain: order.domain,
    price: {
      currency: order.currency,
      items: order.price_items,
      totalCents: order.total_cents,
      premium: order.premium,
      ...(tax ? { vat: vatSummaryOf(tax) } : {}),
    },
    deadline: {
      tier: order.tier,
      hours: order.deadline_hours,
      countedFrom: 'payment',
      ifPaidNow: deadlineAt(new Date(), order.deadline_hours).toISOString(),
    },
    renewal: {
      amountCents: await renewalQuoteCents(deps, order),
      currency: order.currency,
      autoRenew: (await deps.db.selectFrom('renewals').select('auto_renew').where('order_id', '=', order.id).executeTakeFirst())?.auto_renew ?? false,
    },
  };
}

export async function requestConciergeService(
  deps: Deps,
  req: ConciergeRequest,
  idempotencyKey?: string,
  clientIp?: string,
): Promise<{ status: 201 | 200; body: ConciergeResponse }> {
  const { db, config, log } = deps;
  const hash = requestHash(req);

  if (idempotencyKey) {
    const prior = await db.selectFrom('orders').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
    if (prior) return replay(deps, prior, hash);
  }

  const name = parseDomainName(req.domain, config.tlds);
  // the terms accepted (and the consumer's early start) before any lookup: a refusal stores nothing
  const consent = await consentOf(db, config, req, req.locale, clientIp);
  refuseUnsoldIdn(name);
  const requested = req.requestedDomain === undefined ? undefined : requestedName(req.requestedDomain, config.tlds, name);
  // the TLD's rules for its holder, before any registrar call and any payment
  const holder: Holder = { ...req.holder, email: req.holder.email ?? req.email };
  // who is invoiced (the holder unless another identity is given): a bad VAT number is refused before any lookup, any
  // payment, with nothing stored
  const billing = billingIdentityOf({ billing: req.billing, holder, businessName: req.businessName, email: req.email, city: req.city });
  const vatNumber = await checkVatNumber(billing, config, deps.vies);
  const eligible = eligibleTlds(holder, config.tlds);
  const problems = eligibilityProblems(holder, name.tld);
  if (problems.length) throw await holderRefusal(deps, name, holder, problems, eligible);
  const ctx = { businessName: req.businessName, city: req.city, tlds: eligible };
  const unknown = (err: unknown) => {
    if (err instanceof ProviderError) throw new AppError('availability_unknown', 503);
    throw err;
  };
  // both names at once: the one first asked for must really be taken (never taken on the client's word), the one ordered free
  const [checked, requestedCheck] = await Promise.all([
    deps.checker.check(name, ctx).catch(unknown),
    requested ? deps.checker.check(requested, ctx).catch(unknown) : undefined,
  ]);
  log.info(
    { event: 'domain_checked', domain: name.ascii, available: checked.available, source: checked.source, confirmed: checked.confirmed },
    'domain checked',
  );
  if (requested && requestedCheck?.available)
    throw new AppError('requested_domain_available', 422, { domain: requested.unicode }, { field: 'requestedDomain' });
  if (!checked.available || !checked.price) {
    const premiumRefused = (checked as { refusedReason?: string }).refusedReason === 'premium_too_expensive';
    throw new AppError(
      premiumRefused ? 'domain_premium_refused' : 'domain_taken',
      409,
      { domain: name.ascii },
      {
        domain: name.ascii,
        alternatives: checked.alternatives ?? [],
      },
    );
  }

  const tier = req.tier;
  const price = quote(
    { currency: config.CURRENCY, tlds: config.TLD_PRICES, serviceCents: config.SERVICE_PRICE_CENTS, expressSurchargeCents: config.EXPRESS_SURCHARGE_CENTS },
    name.tld,
    tier,
    checked.price.premium ? checked.price.amountCents : undefined,
  );
  const tax = orderTax(billing, price.items, config, vatNumber);
  const orderId = crypto.randomUUID();
  const provider = req.paymentProvider ?? config.DEFAULT_PAYMENT_PROVIDER;

  // The order, its first two timeline events and its payment link's parameters, in one statement (atomic, one round
  // trip): a crash before the provider answers leaves a link to finish, not an order without one.
  const insertOrder = db
    .insertInto('orders')
    .values({
      id: orderId,
      tracking_token: newTrackingToken(),
      idempotency_key: idempotencyKey ?? null,
      request_hash: hash,
      business_name: req.businessName,
      email: req.email,
      city: req.city ?? null,
      locale: req.locale,
      domain: name.ascii,
      domain_unicode: name.unicode,
      tier,
      state: 'awaiting_payment',
      currency: price.currency,
      price_items: JSON.stringify(price.items),
      total_cents: tax.totalInclVatCents,
      premium: checked.price.premium,
      // a premium name renews at its registry's renewal price, as quoted now (the purchase refreshes the US figures)
      premium_renewal_usd_cents: checked.price.renewal?.usdCents ?? null,
      premium_restore_usd_cents: checked.price.renewal?.restoreUsdCents ?? null,
      renewal_domain_cents: checked.price.premium ? (checked.price.renewal?.amountCents ?? null) : null,
      payment_provider: provider,
      deadline_hours: deadlineHours({ expressHours: config.EXPRESS_HOURS, standardHours: config.STANDARD_HOURS }, tier),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll();
  const intent = paymentLinkIntent(config, { id: orderId, payment_provider: provider, total_cents: tax.totalInclVatCents, currency: price.currency }, 1);
  const renewal = initialRenewal(config, { provider, currency: price.currency, autoRenew: req.autoRenew ?? true });
  const events = [
    { type: 'order_created', data: { domain: name.unicode, tier } },
    // another name ordered instead of the one first asked for: taken, what was offered, what was ordered
    ...(requested && requestedCheck ? alternativeChoiceEvents(requested, requestedCheck, name) : []),
    { type: 'domain_checked', data: { domain: name.unicode, source: checked.source, confirmed: checked.confirmed } },
  ];
  const { rows } = await sql<Order & { notified: unknown }>`
    with created as (${insertOrder}),
    events as (
      insert into order_events (order_id, type, data)
      select created.id, e.event->>'type', e.event->'data' from created cross join jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as e(event, n)
       order by e.n
    ),
    intent as (
      insert into payment_links (id, order_id, seq, provider, amount_cents, currency, expires_at)
      select ${intent.id}, created.id, ${intent.seq}, ${intent.provider}, ${intent.amount_cents}, ${intent.currency}, ${intent.expires_at} from created
    ),
    holder as (
      insert into order_holders (order_id, holder) select created.id, ${JSON.stringify(holder)}::jsonb from created
    ),
    consent as (
      insert into order_consents (order_id, customer_type, terms_version, terms_sha256, client_ip, early_start_requested_at)
      select created.id, ${consent.customer_type}, ${consent.terms_version}, ${consent.terms_sha256}, ${consent.client_ip}, ${consent.early_start_requested_at} from created
    ),
    renewal as (
      insert into renewals (order_id, auto_renew, consent_at, consent_version, provider, currency)
      select created.id, ${renewal.auto_renew}, ${renewal.consent_at}, ${renewal.consent_version}, ${renewal.provider}, ${renewal.currency} from created
    ),
    billing as (
      insert into order_billing (order_id, identity, tax) select created.id, ${JSON.stringify(billing)}::jsonb, ${JSON.stringify(tax)}::jsonb from created
    )
    select created.*, pg_notify('order_events', created.id::text) as notified from created`.execute(db);
  // a concurrent request with the same key won when nothing was written
  const created = rows[0] && {
    order: (({ notified: _, ...order }) => order as Order)(rows[0]),
    intent: { ...intent, provider_ref: null, url: null, state: 'creating' as const, created_at: new Date() },
  };
  if (!created) {
    const winner = await db.selectFrom('orders').selectAll().where('idempotency_key', '=', idempotencyKey!).executeTakeFirstOrThrow();
    return replay(deps, winner, hash);
  }
  log.info({ event: 'order_created', orderId, domain: name.ascii, tier, provider }, 'request received');

  let link: PaymentLinkRow = created.intent;
  try {
    link = await issuePaymentLink(deps, orderId, 1, created);
  } catch (err) {
    // The order is kept: a job keeps trying and the confirmation email carries the link once it exists.
    log.warn({ event: 'payment_link_failed', orderId, domain: name.ascii, err: (err as Error).message }, 'payment link failed');
    await db.transaction().execute(async (tx) => {
      await addEvent(tx, orderId, 'payment_link_failed', { provider });
      await enqueue(tx, 'create_payment_link', { orderId, seq: 1 });
    });
  }
  return { status: 201, body: await responseFor(deps, created.order, link, tax) };
}

/** How long the names under the TLDs a refused holder may hold are looked up (RDAP, whois: no registrar call). */
const ELIGIBLE_LOOKUP_MS = 1_500;

/**
 * A holder the TLD does not accept: 422 naming each field and the rule, with the same name under the TLDs it may hold
 * when RDAP or whois says it is free there (unconfirmed: the registrar's budget is kept for orders).
 */
async function holderRefusal(
  deps: Deps,
  name: DomainName,
  holder: Holder,
  problems: ReturnType<typeof eligibilityProblems>,
  eligible: string[],
): Promise<AppError> {
  const unicodeLabel = toUnicode(name.label);
  const candidates = eligible.filter((tld) => tld !== name.tld && idnOf(unicodeLabel, tld).allowed).map((tld) => `${name.label}.${tld}`);
  const signal = AbortSignal.timeout(ELIGIBLE_LOOKUP_MS);
  const free = await Promise.all(
    candidates.map((d) =>
      deps.checker.firstPass(d, signal, 'alternative').then(
        (a) => (a.available ? d : undefined),
        () => undefined,
      ),
    ),
  );
  const alternatives = free
    .filter((d): d is string => !!d)
    .map((domain) => {
      const tld = domain.slice(name.label.length + 1);
      const price = { amountCents: deps.config.TLD_PRICES[tld] ?? 0, currency: deps.config.CURRENCY, premium: false };
      return { domain, unicode: toUnicode(domain), available: true as const, price, confirmed: false };
    });
  const fields = problems.map((p) => ({
    field: `holder.${p.field}`,
    code: p.code,
    params: { tld: p.tld, registry: p.registry, field: p.field, country: holder.country },
  }));
  return new AppError('holder_not_eligible', 422, { tld: name.tld }, { tld: name.tld, fields, eligibleTlds: eligible, alternatives });
}

/** The name first asked for, parsed: a malformed one, or the very name ordered, is bad input (422), nothing checked. */
function requestedName(value: string, tlds: string[], ordered: DomainName): DomainName {
  let requested: DomainName;
  try {
    requested = parseDomainName(value, tlds);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw new AppError('requested_domain_invalid', 422, {}, { field: 'requestedDomain', reason: err.code });
  }
  if (requested.ascii === ordered.ascii) throw new AppError('requested_domain_same', 422, {}, { field: 'requestedDomain' });
  return requested;
}

async function replay(deps: Deps, prior: Order, hash: string) {
  if (prior.request_hash !== hash) throw new AppError('idempotency_key_reused', 422);
  return { status: 201 as const, body: await responseFor(deps, prior) };
}

export { responseFor };

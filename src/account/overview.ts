// The customer's space: every order of the signed-in address, with what monitoring knows of each site (registration
// expiry, uptime over 30 days, an open incident), and the delivered domains the space may manage.
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import type { Order } from '../db/schema.ts';
import { trackingUrl } from '../workflow/payment-link.ts';
import { AppError } from '../errors.ts';
import { transferableFrom } from '../domain/transfer-rules.ts';
import { accountRenewal, renewalsOf, savedMethodOf } from './renewal.ts';

const UPTIME_DAYS = 30;

/** States whose order has a site document to edit (everything but the ones that ended without a site). */
const NO_EDITOR = new Set(['refunded', 'refunding', 'cancelled', 'payment_expired']);

export async function accountOverview(deps: Deps, email: string) {
  const { rows } = await sql<
    Order & {
      domain_expires_at: Date | null;
      incident_started_at: Date | null;
      incident_error: string | null;
      down_seconds: number | null;
      window_seconds: number | null;
      holder_name: string | null;
      holder_organization: string | null;
      holder_email: string | null;
      transfer_state: 'requested' | 'completed' | null;
      transfer_lock: 'removed' | 'none' | null;
      transfer_requested_at: Date | null;
      transfer_completed_at: Date | null;
      window_registered_at: Date | null;
      registrant_changed_at: Date | null;
    }
  >`
    select o.*, m.domain_expires_at, i.started_at as incident_started_at, i.last_error as incident_error,
      w.down_seconds, w.window_seconds,
      nullif(concat_ws(' ', h.holder->>'firstName', h.holder->>'lastName'), '') as holder_name, h.holder->>'organization' as holder_organization,
      h.holder->>'email' as holder_email, t.state as transfer_state, t.lock as transfer_lock, t.requested_at as transfer_requested_at,
      t.completed_at as transfer_completed_at,
      coalesce(tw.registered_at, (select finished_at from order_steps where order_id = o.id and step = 'register_domain' and state = 'done'))
        as window_registered_at,
      tw.registrant_changed_at
    from orders o
    left join domain_transfers t on t.order_id = o.id
    left join transfer_windows tw on tw.order_id = o.id
    left join monitors m on m.order_id = o.id
    left join order_holders h on h.order_id = o.id
    left join lateral (
      select started_at, last_error from site_incidents where order_id = o.id and closed_at is null order by started_at desc limit 1
    ) i on true
    -- downtime: every incident overlapping the window (since delivery when later), an open one counting until now
    -- (greatest() skips nulls: the row of a site without incidents is left out of the sum by its filter)
    left join lateral (
      select extract(epoch from now() - f.since)::float8 as window_seconds,
        coalesce(sum(extract(epoch from coalesce(s.closed_at, now()) - greatest(s.started_at, f.since))) filter (where s.order_id is not null), 0)::float8 as down_seconds
      from (select greatest(o.delivered_at, now() - make_interval(days => ${UPTIME_DAYS})) as since) f
      left join site_incidents s on s.order_id = o.id and coalesce(s.closed_at, now()) > f.since
      where o.delivered_at is not null
      group by f.since
    ) w on true
    where lower(o.email) = ${email.toLowerCase()}
    order by lower(o.email), o.created_at desc`.execute(deps.db);

  const plans = await renewalsOf(
    deps,
    rows.map((o) => o.id),
  );
  return {
    email,
    orders: await Promise.all(
      rows.map(async (o) => {
        const delivered = o.state === 'delivered' && o.transfer_state !== 'completed';
        const window = Number(o.window_seconds ?? 0);
        return {
          id: o.id,
          domain: o.domain,
          domainUnicode: o.domain_unicode,
          businessName: o.business_name,
          state: o.state,
          createdAt: o.created_at,
          deliveredAt: o.delivered_at,
          siteUrl: o.delivered_at ? `https://${o.domain}/` : null,
          trackingUrl: trackingUrl(deps.config.publicUrl, o),
          editorUrl: NO_EDITOR.has(o.state) ? null : `${deps.config.publicUrl}/editor/${o.tracking_token}`,
          registrationExpiresAt: o.domain_expires_at ?? plans.get(o.id)?.expires_at ?? null,
          uptime30d: o.delivered_at && window > 0 ? Math.max(0, Math.min(1, 1 - Number(o.down_seconds ?? 0) / window)) : null,
          openIncident: o.incident_started_at ? { startedAt: o.incident_started_at, lastError: o.incident_error } : null,
          dnsManaged: delivered,
          // who holds the domain, as the order gave it: the name only (the rest is in the data export)
          holder: o.holder_name || o.holder_organization ? { name: o.holder_name, organization: o.holder_organization } : null,
          renewal: await accountRenewal(deps, o, plans.get(o.id)),
          savedPaymentMethod: savedMethodOf(plans.get(o.id)),
          // the invoices module fills the list: nothing is made up before it does
          invoices: [],
          transfer: o.transfer_state
            ? {
                state: o.transfer_state,
                lock: o.transfer_lock,
                requestedAt: o.transfer_requested_at,
                completedAt: o.transfer_completed_at,
                codeSentTo: o.holder_email ?? o.email,
              }
            : null,
          // the waiting period before a name may leave (a gTLD's 60 days), for a managed name not yet asked to leave
          transferableFrom:
            delivered && !o.transfer_state
              ? transferableFrom(o.domain.split('.').slice(1).join('.'), { registeredAt: o.window_registered_at, registrantChangedAt: o.registrant_changed_at })
              : null,
        };
      }),
    ),
  };
}

/** The signed-in customer's delivered order at `domain`; any other domain is not found, whoever holds it. */
export async function ownDeliveredOrder(deps: Deps, email: string, domain: string): Promise<Order> {
  const order = await deps.db
    .selectFrom('orders')
    .selectAll()
    .where(sql<boolean>`lower(email) = ${email.toLowerCase()}`)
    .where('domain', '=', domain.trim().toLowerCase().replace(/\.$/, ''))
    .where('state', '=', 'delivered')
    // a domain that left our registrar is no longer one the space manages
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('domain_transfers')
            .select('order_id')
            .whereRef('domain_transfers.order_id', '=', 'orders.id')
            .where('domain_transfers.state', '=', 'completed'),
        ),
      ),
    )
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!order) throw new AppError('account_domain_not_found', 404);
  return order;
}

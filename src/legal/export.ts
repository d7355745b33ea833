// Everything we hold about a customer, as one JSON document: every order placed with their address (any case), with
// what was stored beside it. The tracking page offers it by the order's token; the customer space by the signed-in
// address. Pictures and archive files are listed with where to download them, not inlined.
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import type { Database } from '../db/database.ts';
import { legalPath } from './documents.ts';
import { trackingUrl } from '../workflow/payment-link.ts';

/** An order's rows in a table the export shows whole (the holder, billing, invoices). */
async function rowsOf(
  db: Database,
  table: 'order_holders' | 'order_billing' | 'invoices' | 'renewals',
  orderIds: string[],
): Promise<Record<string, unknown>[]> {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where order_id = any(${orderIds}::uuid[])`.execute(db);
  return rows;
}

const byOrder = <T extends { order_id?: unknown }>(rows: T[], id: string) => rows.filter((r) => r.order_id === id);
/** A row without the columns that only repeat what the export already says (its order). */
const bare = ({ order_id: _, ...rest }: Record<string, unknown>) => rest;

export async function exportPersonalData(deps: Deps, email: string) {
  const { db, config } = deps;
  const base = config.publicUrl;
  const orders = await db.selectFrom('orders').selectAll().where(sql<boolean>`lower(email) = ${email.trim().toLowerCase()}`).orderBy('created_at').execute();
  const ids = orders.map((o) => o.id);
  const none = ids.length === 0;
  const q = <T>(p: Promise<T[]>) => (none ? Promise.resolve([] as T[]) : p);
  const [consents, events, emails, links, satisfaction, documents, assets, archives, archiveFiles, holders, billing, invoices, renewals, optOut] =
    await Promise.all([
      q(db.selectFrom('order_consents').selectAll().where('order_id', 'in', ids).execute()),
      q(db.selectFrom('order_events').select(['order_id', 'type', 'data', 'at']).where('order_id', 'in', ids).orderBy('id').execute()),
      q(
        db
          .selectFrom('outbox_emails')
          .select(['order_id', 'kind', 'to_address', 'subject', 'text_body', 'state', 'created_at', 'sent_at'])
          .where('order_id', 'in', ids)
          .orderBy('created_at')
          .execute(),
      ),
      q(
        db
          .selectFrom('payment_links')
          .select(['order_id', 'seq', 'provider', 'amount_cents', 'currency', 'state', 'created_at', 'expires_at'])
          .where('order_id', 'in', ids)
          .execute(),
      ),
      q(db.selectFrom('satisfaction').select(['order_id', 'score', 'comment', 'answered_at', 'outcome']).where('order_id', 'in', ids).execute()),
      q(
        db
          .selectFrom('site_documents')
          .select(['order_id', 'document', 'version', 'updated_at', 'published_version', 'published_at'])
          .where('order_id', 'in', ids)
          .execute(),
      ),
      q(
        db
          .selectFrom('site_assets')
          .select(['order_id', 'id', 'kind', 'name', 'content_type', 'size', 'width', 'height', 'created_at'])
          .where('order_id', 'in', ids)
          .execute(),
      ),
      q(db.selectFrom('site_archives').select(['order_id', 'sha256', 'size', 'files', 'uploaded_at']).where('order_id', 'in', ids).execute()),
      q(db.selectFrom('site_archive_files').select(['order_id', 'path']).where('order_id', 'in', ids).execute()),
      none ? [] : rowsOf(db, 'order_holders', ids),
      none ? [] : rowsOf(db, 'order_billing', ids),
      none ? [] : rowsOf(db, 'invoices', ids),
      none ? [] : rowsOf(db, 'renewals', ids),
      db.selectFrom('contact_opt_outs').select(['at']).where('email', '=', email.trim().toLowerCase()).executeTakeFirst(),
    ]);

  return {
    generatedAt: new Date().toISOString(),
    email,
    about: 'Every order placed with this address and what we keep with it. Pictures: download each from its `url`. Our technical logs hold no personal data.',
    doNotContact: optOut ? { since: optOut.at.toISOString() } : null,
    orders: orders.map((o) => {
      const consent = consents.find((c) => c.order_id === o.id);
      const tokenPath = encodeURIComponent(o.tracking_token);
      return {
        orderId: o.id,
        trackingUrl: trackingUrl(base, o),
        placedAt: o.created_at.toISOString(),
        state: o.state,
        erasedAt: o.erased_at?.toISOString() ?? null,
        businessName: o.business_name,
        email: o.email,
        city: o.city,
        locale: o.locale,
        domain: o.domain_unicode,
        tier: o.tier,
        price: { currency: o.currency, items: o.price_items, totalCents: o.total_cents },
        payment: {
          provider: o.payment_provider,
          reference: o.payment_ref,
          paidAt: o.paid_at?.toISOString() ?? null,
          paidCents: o.paid_cents,
          refundId: o.refund_id,
        },
        deliveredAt: o.delivered_at?.toISOString() ?? null,
        consent: consent && {
          customerType: consent.customer_type,
          termsVersion: consent.terms_version,
          termsText: `${base}${legalPath('terms', o.locale)}?text=${consent.terms_sha256}`,
          acceptedAt: consent.accepted_at.toISOString(),
          clientIp: consent.client_ip,
          earlyStartRequestedAt: consent.early_start_requested_at?.toISOString() ?? null,
        },
        holder: byOrder(holders, o.id).map((h) => h.holder)[0] ?? null,
        billing: byOrder(billing, o.id).map(bare)[0] ?? null,
        invoices: byOrder(invoices, o.id).map(bare),
        // the yearly renewal: the auto-renewal choice and its consent, the saved card's references and its brand and last 4 digits
        renewal: byOrder(renewals, o.id).map(bare)[0] ?? null,
        timeline: byOrder(events, o.id).map((e) => ({ type: e.type, at: e.at.toISOString(), data: e.data })),
        emails: byOrder(emails, o.id).map(({ order_id: _, ...e }) => ({
          kind: e.kind,
          to: e.to_address,
          subject: e.subject,
          text: e.text_body,
          state: e.state,
          createdAt: e.created_at.toISOString(),
          sentAt: e.sent_at?.toISOString() ?? null,
        })),
        paymentLinks: byOrder(links, o.id).map(bare),
        satisfaction: byOrder(satisfaction, o.id).map(bare)[0] ?? null,
        site: {
          document: byOrder(documents, o.id).map(bare)[0] ?? null,
          pictures: byOrder(assets, o.id).map(({ order_id: _, ...a }) => ({ ...a, url: `${base}/api/sites/${tokenPath}/assets/${a.id}` })),
          archive: byOrder(archives, o.id).map((a) => ({ ...bare(a), paths: byOrder(archiveFiles, o.id).map((f) => f.path) }))[0] ?? null,
        },
      };
    }),
  };
}

export type PersonalDataExport = Awaited<ReturnType<typeof exportPersonalData>>;

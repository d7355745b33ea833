// Builds each email's view from an order row, so callers name the email and the order, nothing more.
import type { Order } from '../db/schema.ts';
import type { RenderedEmail } from './layout.ts';
import { confirmationEmail } from './confirmation.ts';
import { paymentExpiredEmail } from './payment-expired.ts';
import { paymentLinkRenewedEmail } from './payment-link-renewed.ts';
import { progressEmail } from './progress.ts';
import { deliveredEmail } from './delivered.ts';
import { refundedEmail, type RefundReason } from './refunded.ts';
import { domainTakenEmail } from './domain-taken.ts';

export interface OrderLinks {
  paymentUrl: string;
  trackingUrl: string;
  supportEmail: string;
  /** when the current payment link stops working */
  expiresAt?: Date;
  editorUrl?: string;
  chooseUrl?: string;
  /** when the site should be live (progress email) */
  eta?: Date;
  refundReason?: RefundReason;
  /** what the deploy put online (delivery email): the editor's document, or the customer's own archive */
  siteSource?: 'document' | 'archive';
  refundCents?: number;
  alternatives?: { domain: string; amountCents: number }[];
}

export type OrderEmailKind = 'confirmation' | 'payment_link_renewed' | 'payment_expired' | 'progress' | 'delivered' | 'refunded' | 'domain_taken';

export function renderOrderEmail(kind: OrderEmailKind, order: Order, links: OrderLinks): RenderedEmail {
  const locale = order.locale;
  const common = { businessName: order.business_name, domain: order.domain_unicode, trackingUrl: links.trackingUrl, supportEmail: links.supportEmail };
  const editorUrl = links.editorUrl ?? links.trackingUrl;
  const deadline = order.deadline_at ?? new Date(Date.now() + order.deadline_hours * 3_600_000);
  switch (kind) {
    case 'confirmation':
      return confirmationEmail(
        {
          ...common,
          tier: order.tier,
          price: { currency: order.currency, items: order.price_items, totalCents: order.total_cents },
          deadlineHours: order.deadline_hours,
          paymentUrl: links.paymentUrl,
          editorUrl,
        },
        locale,
      );
    case 'payment_link_renewed':
      return paymentLinkRenewedEmail(
        {
          ...common,
          total: { amountCents: order.total_cents, currency: order.currency },
          deadlineHours: order.deadline_hours,
          paymentUrl: links.paymentUrl,
          expiresAt: links.expiresAt ?? new Date(Date.now() + 24 * 3_600_000),
        },
        locale,
      );
    case 'payment_expired':
      return paymentExpiredEmail(common, locale);
    case 'progress':
      return progressEmail({ ...common, eta: links.eta ?? deadline, deadline, deadlineHours: order.deadline_hours }, locale);
    case 'delivered':
      return deliveredEmail(
        {
          ...common,
          siteUrl: `https://${order.domain_unicode}/`,
          editorUrl,
          source: links.siteSource ?? 'document',
          deliveredAt: order.delivered_at ?? new Date(),
          deadline,
        },
        locale,
      );
    case 'refunded':
      return refundedEmail(
        {
          ...common,
          refund: { amountCents: links.refundCents ?? order.paid_cents ?? order.total_cents, currency: order.currency },
          reason: links.refundReason ?? 'other',
        },
        locale,
      );
    case 'domain_taken':
      return domainTakenEmail(
        { ...common, alternatives: links.alternatives ?? [], currency: order.currency, chooseUrl: links.chooseUrl ?? links.trackingUrl },
        locale,
      );
  }
}

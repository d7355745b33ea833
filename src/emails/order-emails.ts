// Builds each email's view from an order row, so callers name the email and the order, nothing more.
import type { Order } from '../db/schema.ts';
import type { RenderedEmail } from './layout.ts';
import { confirmationEmail } from './confirmation.ts';
import { paymentExpiredEmail } from './payment-expired.ts';
import { paymentFailedEmail, paymentLinkRenewedEmail } from './payment-link-renewed.ts';
import { progressEmail } from './progress.ts';
import { deliveredEmail } from './delivered.ts';
import { refundedEmail, type RefundReason } from './refunded.ts';
import { domainTakenEmail } from './domain-taken.ts';
import { deliveryOutcome } from '../domain/satisfaction.ts';
import { satisfactionReminderEmail, type SatisfactionLinks } from './satisfaction.ts';

export interface OrderLinks {
  paymentUrl: string;
  trackingUrl: string;
  supportEmail: string;
  /** our address: the footer's legal links */
  publicUrl?: string;
  /** when the current payment link stops working */
  expiresAt?: Date;
  /** why a fresh link is sent: the previous one expired, or its delayed payment failed */
  renewal?: 'expired' | 'payment_failed';
  editorUrl?: string;
  chooseUrl?: string;
  /** when the site should be live (progress email) */
  eta?: Date;
  refundReason?: RefundReason;
  /** what the deploy put online (delivery email): the editor's document, or the customer's own archive */
  siteSource?: 'document' | 'archive';
  refundCents?: number;
  alternatives?: { domain: string; amountCents: number }[];
  /** "Are you satisfied?": each score's link and the way to stop being asked (delivery, refund and reminder emails) */
  satisfaction?: SatisfactionLinks;
  /** when the order was delivered or refunded (the reminder) */
  finishedAt?: Date;
}

export type OrderEmailKind =
  | 'confirmation'
  | 'payment_link_renewed'
  | 'payment_expired'
  | 'progress'
  | 'delivered'
  | 'refunded'
  | 'domain_taken'
  | 'satisfaction_reminder';

export function renderOrderEmail(kind: OrderEmailKind, order: Order, links: OrderLinks): RenderedEmail {
  const locale = order.locale;
  const common = {
    businessName: order.business_name,
    domain: order.domain_unicode,
    trackingUrl: links.trackingUrl,
    supportEmail: links.supportEmail,
    publicUrl: links.publicUrl,
  };
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
      return (links.renewal === 'payment_failed' ? paymentFailedEmail : paymentLinkRenewedEmail)(
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
          satisfaction: links.satisfaction,
        },
        locale,
      );
    case 'refunded':
      return refundedEmail(
        {
          ...common,
          refund: { amountCents: links.refundCents ?? order.paid_cents ?? order.total_cents, currency: order.currency },
          reason: links.refundReason ?? 'other',
          satisfaction: links.satisfaction,
        },
        locale,
      );
    case 'satisfaction_reminder': {
      if (!links.satisfaction) throw new Error('satisfaction_reminder: the satisfaction links are needed');
      const refunded = order.state === 'refunded' || order.state === 'refunding';
      return satisfactionReminderEmail(
        {
          ...common,
          outcome: refunded ? 'refunded' : deliveryOutcome(order.delivered_at ?? new Date(), order.deadline_at),
          siteUrl: `https://${order.domain_unicode}/`,
          since: links.finishedAt ?? order.delivered_at ?? order.updated_at,
          satisfaction: links.satisfaction,
        },
        locale,
      );
    }
    case 'domain_taken':
      return domainTakenEmail(
        { ...common, alternatives: links.alternatives ?? [], currency: order.currency, chooseUrl: links.chooseUrl ?? links.trackingUrl },
        locale,
      );
  }
}

// Builds each email's view from an order row, so callers name the email and the order, nothing more.
import type { Order } from '../db/schema.ts';
import type { RenderedEmail } from './layout.ts';
import { confirmationEmail } from './confirmation.ts';
import { paymentExpiredEmail } from './payment-expired.ts';
import { paymentLinkRenewedEmail } from './payment-link-renewed.ts';

export interface OrderLinks {
  paymentUrl: string;
  trackingUrl: string;
  supportEmail: string;
  /** when the current payment link stops working */
  expiresAt?: Date;
}

export type OrderEmailKind = 'confirmation' | 'payment_link_renewed' | 'payment_expired';

export function renderOrderEmail(kind: OrderEmailKind, order: Order, links: OrderLinks): RenderedEmail {
  const locale = order.locale;
  const common = { businessName: order.business_name, domain: order.domain_unicode, trackingUrl: links.trackingUrl, supportEmail: links.supportEmail };
  switch (kind) {
    case 'confirmation':
      return confirmationEmail(
        {
          ...common,
          tier: order.tier,
          price: { currency: order.currency, items: order.price_items, totalCents: order.total_cents },
          deadlineHours: order.deadline_hours,
          paymentUrl: links.paymentUrl,
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
  }
}

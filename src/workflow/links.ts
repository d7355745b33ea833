// The customer's links: tracking page, payment, editor, choosing another name.
import type { Config } from '../config.ts';
import type { Order } from '../db/schema.ts';
import { stablePaymentUrl, trackingUrl } from './payment-link.ts';
import type { OrderLinks } from '../emails/order-emails.ts';

export function customerLinks(config: Config, order: Order, more: Partial<OrderLinks> = {}): OrderLinks {
  return {
    paymentUrl: stablePaymentUrl(config.publicUrl, order),
    trackingUrl: trackingUrl(config.publicUrl, order),
    editorUrl: `${config.publicUrl}/editor/${order.tracking_token}`,
    chooseUrl: `${trackingUrl(config.publicUrl, order)}?choose=domain`,
    supportEmail: config.SUPPORT_EMAIL,
    ...more,
  };
}

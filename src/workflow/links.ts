// The customer's links: tracking page, payment, editor, choosing another name, answering "Are you satisfied?".
import type { Config } from '../config.ts';
import type { Order } from '../db/schema.ts';
import { stablePaymentUrl, trackingUrl } from './payment-link.ts';
import type { OrderLinks } from '../emails/order-emails.ts';
import type { SatisfactionLinks } from '../emails/satisfaction.ts';
import { SCORES } from '../domain/satisfaction.ts';
import { renewalPriceCents } from '../domain/renewal.ts';

export function customerLinks(config: Config, order: Order, more: Partial<OrderLinks> = {}): OrderLinks {
  return {
    paymentUrl: stablePaymentUrl(config.publicUrl, order),
    trackingUrl: trackingUrl(config.publicUrl, order),
    editorUrl: `${config.publicUrl}/editor/${order.tracking_token}`,
    chooseUrl: `${trackingUrl(config.publicUrl, order)}?choose=domain`,
    supportEmail: config.SUPPORT_EMAIL,
    publicUrl: config.publicUrl,
    satisfaction: satisfactionLinks(config.publicUrl, order),
    renewalCents: renewalPriceCents(order, config.RENEWAL_SERVICE_CENTS),
    ...more,
  };
}

/**
 * Each score's link opens the answer page with that score chosen, in the order's language; the answer is recorded
 * when the customer confirms there (src/http/routes/satisfaction.ts says why not on the click itself).
 */
export function satisfactionLinks(publicUrl: string, order: Pick<Order, 'tracking_token' | 'locale'>): SatisfactionLinks {
  const page = `${publicUrl}/satisfaction/${order.tracking_token}`;
  return {
    scoreUrls: SCORES.map((score) => `${page}?score=${score}&lang=${order.locale}`),
    stopUrl: `${publicUrl}/stop/${order.tracking_token}?lang=${order.locale}`,
  };
}

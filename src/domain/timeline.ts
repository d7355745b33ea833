// The order timeline's event types and how each reads to a customer, in French and English.
import type { Locale } from '../http/error-messages.ts';

type Data = Record<string, unknown>;
type Text = (d: Data) => string;

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));

const texts: Record<string, { fr: Text; en: Text }> = {
  order_created: {
    fr: (d) => `Demande reçue pour ${s(d.domain)}.`,
    en: (d) => `Request received for ${s(d.domain)}.`,
  },
  domain_checked: {
    fr: (d) => `Domaine ${s(d.domain)} vérifié : disponible (${s(d.source)}).`,
    en: (d) => `Domain ${s(d.domain)} checked: available (${s(d.source)}).`,
  },
  payment_link_created: {
    fr: (d) => `Lien de paiement ${d.provider === 'paypal' ? 'PayPal' : 'Stripe'} créé.`,
    en: (d) => `${d.provider === 'paypal' ? 'PayPal' : 'Stripe'} payment link created.`,
  },
  payment_link_failed: {
    fr: () => `Le service de paiement ne répond pas ; nouvel essai automatique.`,
    en: () => `The payment service is not answering; retrying automatically.`,
  },
  payment_link_expired: {
    fr: () => `Le lien de paiement a expiré ; vous pouvez en demander un nouveau.`,
    en: () => `The payment link expired; you can ask for a fresh one.`,
  },
  payment_link_renewed: {
    fr: () => `Nouveau lien de paiement créé.`,
    en: () => `A fresh payment link was created.`,
  },
  email_sent: {
    fr: (d) => `E-mail envoyé : ${s(d.subject)}`,
    en: (d) => `Email sent: ${s(d.subject)}`,
  },
  payment_received: {
    fr: () => `Paiement reçu. Le compte à rebours commence.`,
    en: () => `Payment received. The clock starts now.`,
  },
};

export function timelineMessage(type: string, data: Data, locale: Locale): string {
  const t = texts[type];
  return t ? t[locale](data) : type.replace(/_/g, ' ');
}

/** Register the texts of event types defined elsewhere (e.g. the pipeline's steps). */
export function defineTimelineTexts(more: Record<string, { fr: Text; en: Text }>): void {
  Object.assign(texts, more);
}

// The email saying a payment link expired unused, and where to ask for a fresh one.
import type { Locale } from '../domain/locale.ts';
import { renderEmail, type RenderedEmail } from './layout.ts';

export interface PaymentExpiredView {
  businessName: string;
  domain: string;
  /** the tracking page, where the customer asks for a fresh link */
  trackingUrl: string;
  supportEmail: string;
}

interface Copy {
  subject: string;
  preheader: string;
  hello: string;
  expired: [before: string, between: string, after: string];
  nothingCharged: string;
  howToRenew: string;
  button: string;
  domainNotReserved: string;
}

const copy: Record<Locale, Copy> = {
  fr: {
    subject: 'Votre lien de paiement a expiré',
    preheader: 'Demandez-en un nouveau en un clic depuis votre page de suivi.',
    hello: 'Bonjour,',
    expired: ['Le lien de paiement pour ', ' (', ') a expiré avant d’être utilisé.'],
    nothingCharged: 'Rien n’a été débité.',
    howToRenew: 'Pour reprendre votre commande, demandez un nouveau lien depuis votre page de suivi : cela ne prend qu’un instant.',
    button: 'Demander un nouveau lien',
    domainNotReserved: 'Le nom de domaine n’est pas réservé tant que le paiement n’est pas fait : quelqu’un d’autre peut encore l’enregistrer.',
  },
  en: {
    subject: 'Your payment link has expired',
    preheader: 'Ask for a new one in one click from your tracking page.',
    hello: 'Hello,',
    expired: ['The payment link for ', ' (', ') expired before it was used.'],
    nothingCharged: 'Nothing was charged.',
    howToRenew: 'To pick up your order where you left it, ask for a new link from your tracking page; it only takes a moment.',
    button: 'Get a new payment link',
    domainNotReserved: 'The domain name is not reserved until payment: someone else could still register it.',
  },
};

export function paymentExpiredEmail(view: PaymentExpiredView, locale: Locale): RenderedEmail {
  const c = copy[locale];
  return renderEmail({
    locale,
    subject: c.subject,
    preheader: c.preheader,
    supportEmail: view.supportEmail,
    blocks: [
      { type: 'paragraph', text: [c.hello] },
      { type: 'paragraph', text: [c.expired[0], { strong: view.domain }, c.expired[1], view.businessName, c.expired[2], ' ', c.nothingCharged] },
      { type: 'paragraph', text: [c.howToRenew] },
      { type: 'button', label: c.button, href: view.trackingUrl },
      { type: 'callout', text: [c.domainNotReserved] },
    ],
  });
}

// The email saying a payment link expired unused, and where to ask for a fresh one.
import { button, callout, type CustomerView, defineEmail, paragraph, strong, weave } from './define.ts';

export interface PaymentExpiredView extends CustomerView {
  /** the tracking page, where the customer asks for a fresh link */
  trackingUrl: string;
}

export const paymentExpiredEmail = defineEmail(
  {
    fr: {
      subject: 'Votre lien de paiement a expiré',
      preheader: 'Demandez-en un nouveau en un clic depuis votre page de suivi.',
      expired: ['Le lien de paiement pour ', ' (', ') a expiré avant d’être utilisé. Rien n’a été débité.'],
      howToRenew: 'Pour reprendre votre commande, demandez un nouveau lien depuis votre page de suivi : cela ne prend qu’un instant.',
      button: 'Demander un nouveau lien',
      domainNotReserved: 'Le nom de domaine n’est pas réservé tant que le paiement n’est pas fait : quelqu’un d’autre peut encore l’enregistrer.',
    },
    en: {
      subject: 'Your payment link has expired',
      preheader: 'Ask for a new one in one click from your tracking page.',
      expired: ['The payment link for ', ' (', ') expired before it was used. Nothing was charged.'],
      howToRenew: 'To pick up your order where you left it, ask for a new link from your tracking page; it only takes a moment.',
      button: 'Get a new payment link',
      domainNotReserved: 'The domain name is not reserved until payment: someone else could still register it.',
    },
  },
  (c, view: PaymentExpiredView) => ({
    blocks: [
      paragraph(...weave(c.expired, strong(view.domain), view.businessName)),
      paragraph(c.howToRenew),
      button(c.button, view.trackingUrl),
      callout(c.domainNotReserved),
    ],
  }),
);

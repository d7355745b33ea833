// Leaving with the domain, by email: the customer's transfer request acknowledged (how the transfer code reaches the
// holder), the operator asked to have the registrar send that code, the transfer done, and a renewal paid too late refunded.
import { callout, type CustomerView, defineEmail, operatorEmail, paragraph, strong, table, weave } from './define.ts';
import { formatMoney, type Money } from './i18n.ts';

export interface TransferView extends CustomerView {
  /** the registrant's email: where the registrar sends the transfer code */
  holderEmail: string;
  /** the TLD has no registrar lock (nothing was removed) */
  noLock: boolean;
}

/** The transfer is asked for: unlocked (or nothing to unlock), renewals off, the code on its way from the registrar. */
export const transferRequestedEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `Transfert de ${domain} : la suite`,
      preheader: 'Le code de transfert vous parvient par e-mail du registraire.',
      unlocked: 'Le verrou de transfert de ',
      unlockedAfter: ' est retiré et son renouvellement automatique est désactivé : rien ne sera plus prélevé.',
      noLock: 'Cette extension n’a pas de verrou de transfert ; le renouvellement automatique de ',
      noLockAfter: ' est désactivé : rien ne sera plus prélevé.',
      code: [
        'Le code de transfert (code EPP ou « auth code ») est envoyé par Namecheap, notre registraire, directement à l’adresse du titulaire : ',
        '. Son API ne permet pas de le lire : nous le demandons depuis son espace, et il vous parvient en général sous un jour ouvré.',
      ],
      next: 'Donnez ce code au nouveau registraire pour lancer le transfert. Un nom enregistré ou transféré il y a moins de 60 jours ne peut pas encore changer de registraire (règle de l’ICANN). Votre site reste en ligne pendant le transfert.',
    },
    en: {
      subject: (domain) => `Transferring ${domain}: what happens next`,
      preheader: 'The transfer code reaches you by email from the registrar.',
      unlocked: 'The transfer lock of ',
      unlockedAfter: ' is removed and its automatic renewal is off: nothing will be charged again.',
      noLock: 'This extension has no transfer lock; the automatic renewal of ',
      noLockAfter: ' is off: nothing will be charged again.',
      code: [
        'The transfer code (EPP or “auth” code) is sent by Namecheap, our registrar, straight to the holder’s address: ',
        '. Its API gives no way to read it: we request it from its dashboard, and it usually reaches you within one business day.',
      ],
      next: 'Give this code to the new registrar to start the transfer. A name registered or transferred less than 60 days ago cannot change registrar yet (ICANN’s rule). Your site stays online during the transfer.',
    },
  },
  (c, v: TransferView) => ({
    blocks: [
      paragraph(...weave([v.noLock ? c.noLock : c.unlocked, v.noLock ? c.noLockAfter : c.unlockedAfter], strong(v.domain))),
      callout(...weave(c.code, strong(v.holderEmail))),
      paragraph(c.next),
    ],
  }),
);

/** The name left our registrar account: the order records it, the monitor stopped, nothing renews. */
export const transferredOutEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `${domain} a quitté notre registraire`,
      preheader: 'Le transfert est terminé.',
      body: [
        'Le transfert de ',
        ' vers votre nouveau registraire est terminé. Nous ne le renouvellerons plus et ne surveillons plus le site ; c’est désormais votre nouveau registraire qui le gère.',
      ],
    },
    en: {
      subject: (domain) => `${domain} has left our registrar`,
      preheader: 'The transfer is complete.',
      body: [
        'The transfer of ',
        ' to your new registrar is complete. We will no longer renew it or watch the site; your new registrar manages it from now on.',
      ],
    },
  },
  (c, v: CustomerView) => ({ blocks: [paragraph(...weave(c.body, strong(v.domain)))] }),
);

export interface RenewalRefundedView extends CustomerView {
  refund: Money;
  /** the renewal invoice's number, credited by a credit note; absent when the renewal had none */
  invoiceNumber?: string;
}

/** A renewal paid after the name had already left us: nothing could be renewed, the payment goes back. */
export const renewalRefundedEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `Renouvellement de ${domain} remboursé`,
      preheader: (amount: string) => `Nous vous remboursons ${amount}.`,
      body: [
        'Le paiement du renouvellement de ',
        ' est arrivé alors que le domaine avait déjà quitté notre registraire : nous ne pouvions plus le renouveler, et ne gardons pas ce paiement.',
      ],
      refunded: (amount: string) => `Nous vous remboursons ${amount}, sur le moyen de paiement que vous avez utilisé.`,
      credit: (invoice: string) => `Un avoir annule la facture ${invoice} ; il vous parvient dans un e-mail à part.`,
      delay: 'Selon votre banque, le remboursement apparaît sur votre relevé sous 5 à 10 jours ouvrés.',
    },
    en: {
      subject: (domain) => `Renewal of ${domain} refunded`,
      preheader: (amount) => `We are refunding you ${amount}.`,
      body: [
        'The payment for the renewal of ',
        ' arrived after the domain had already left our registrar: we could no longer renew it, and do not keep this payment.',
      ],
      refunded: (amount) => `We are refunding you ${amount}, to the payment method you used.`,
      credit: (invoice) => `A credit note cancels invoice ${invoice}; it reaches you in a separate email.`,
      delay: 'Depending on your bank, the refund shows on your statement within 5 to 10 business days.',
    },
  },
  (c, v: RenewalRefundedView, locale) => {
    const amount = formatMoney(v.refund.amountCents, v.refund.currency, locale);
    return {
      preheader: c.preheader(amount),
      blocks: [
        paragraph(...weave(c.body, strong(v.domain))),
        callout(c.refunded(amount)),
        ...(v.invoiceNumber ? [paragraph(c.credit(v.invoiceNumber))] : []),
        paragraph(c.delay),
      ],
    };
  },
);

/**
 * To the operators: Namecheap sends the transfer code only from its dashboard (knowledgebase 258: Domain List →
 * Manage → Sharing & Transfer → Transfer Out → Auth Code, "the code will be sent to the Registrant email address").
 */
export function transferCodeRequestEmail(view: { domain: string; holderEmail: string; orderId: string; supportEmail: string }) {
  return operatorEmail(view.supportEmail, {
    subject: `[TRANSFER OUT] ${view.domain}: request its auth code at Namecheap`,
    preheader: 'The customer asked to take the domain elsewhere',
    blocks: [
      callout(
        'The customer asked to transfer this domain to another registrar. The lock is off and automatic renewal is off. Namecheap’s API returns no transfer code: in its dashboard, open Domain List → Manage → Sharing & Transfer → Transfer Out and click Auth Code; Namecheap emails it to the registrant address below.',
      ),
      table([
        ['Domain', view.domain],
        ['Registrant email', view.holderEmail],
        ['Order', view.orderId],
      ]),
    ],
  });
}

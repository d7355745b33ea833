// The year after delivery, by email: expiry reminders (60, 30, 7 days and the day), the renewal done, a declined charge
// or a renewal to pay by link, the site paused after expiry, and the domain let go after the grace period.
import type { Locale } from '../domain/locale.ts';
import { button, callout, type CustomerView, defineEmail, labelled, link, paragraph, strong, weave } from './define.ts';
import { formatDateTime, formatMoney, type Instant } from './i18n.ts';

export interface RenewalView extends CustomerView {
  /** the registration's expiry */
  expiresAt: Instant;
  /** next year's price, VAT as the invoices set it */
  priceCents: number;
  currency: string;
  autoRenew: boolean;
  /** when the saved method is charged (auto-renewal on) */
  chargeAt?: Instant;
  /** "visa •••• 4242" or "PayPal (c•••x@example.org)" when a method is saved */
  savedMethod?: string;
  trackingUrl: string;
  /** a payment link, when one is out */
  paymentUrl?: string;
}

const price = (v: RenewalView, l: Locale) => formatMoney(v.priceCents, v.currency, l);
const day = (at: Instant, l: Locale) => formatDateTime(at, l);

/** A reminder of the coming expiry; what happens next depends on auto-renewal. */
export const renewalReminderEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `Renouvellement de ${domain}`,
      preheader: (when: string) => `Votre nom de domaine expire le ${when}.`,
      intro: ['Le nom de domaine ', ' de ', ' expire le ', '.'],
      facts: ['Expiration', 'Renouvellement pour un an', 'Renouvellement automatique'],
      on: 'activé',
      off: 'désactivé',
      willCharge: ['Rien à faire : le ', ', nous prélèverons ', ' sur ', ' et renouvellerons le domaine pour un an.'],
      savedCard: 'votre moyen de paiement enregistré',
      linkComing: ['Le ', ', nous vous enverrons un lien pour payer ', ' et renouveler le domaine pour un an.'],
      willLapse:
        'Le renouvellement automatique est désactivé : sans paiement, votre site sera remplacé par une page d’avis à l’expiration, puis supprimé 30 jours plus tard et le nom de domaine ne sera plus à vous.',
      turnOn: 'Vous pouvez réactiver le renouvellement automatique ou le désactiver à tout moment depuis votre espace client ou votre page de suivi.',
      manage: 'Gérer le renouvellement',
    },
    en: {
      subject: (domain) => `Renewal of ${domain}`,
      preheader: (when) => `Your domain name expires on ${when}.`,
      intro: ['The domain name ', ' of ', ' expires on ', '.'],
      facts: ['Expires', 'Renewal for one year', 'Automatic renewal'],
      on: 'on',
      off: 'off',
      willCharge: ['Nothing to do: on ', ' we will charge ', ' to ', ' and renew the domain for one year.'],
      savedCard: 'your saved payment method',
      linkComing: ['On ', ' we will send you a link to pay ', ' and renew the domain for one year.'],
      willLapse:
        'Automatic renewal is off: without payment, your site will be replaced by a notice page at expiry, then removed 30 days later, and the domain name will no longer be yours.',
      turnOn: 'You can turn automatic renewal back on, or off, at any time from your customer space or your tracking page.',
      manage: 'Manage the renewal',
    },
  },
  (c, v: RenewalView, l) => {
    const when = day(v.expiresAt, l);
    // auto-renewal on: the saved card is charged, or without one (PayPal) a payment link comes on the charge date
    const next =
      v.autoRenew && v.chargeAt
        ? v.savedMethod
          ? paragraph(...weave(c.willCharge, strong(day(v.chargeAt, l)), strong(price(v, l)), v.savedMethod))
          : paragraph(...weave(c.linkComing, strong(day(v.chargeAt, l)), strong(price(v, l))))
        : callout(c.willLapse);
    return {
      preheader: c.preheader(when),
      blocks: [
        paragraph(...weave(c.intro, strong(v.domain), v.businessName, strong(when))),
        labelled(c.facts, [when, price(v, l), v.autoRenew ? c.on : c.off]),
        next,
        ...(v.paymentUrl ? [button(`${price(v, l)}`, v.paymentUrl)] : []),
        paragraph(c.turnOn),
        button(c.manage, v.trackingUrl),
      ],
    };
  },
);

/** The domain is renewed: paid, renewed at the registrar, the new expiry. */
export const renewedEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `${domain} est renouvelé pour un an`,
      preheader: (until: string) => `Nouvelle date d’expiration : ${until}.`,
      body: ['Nous avons renouvelé ', ' pour un an. Votre site reste en ligne.'],
      facts: ['Montant payé', 'Nouvelle expiration'],
      invoice: 'La facture est disponible depuis votre page de suivi.',
    },
    en: {
      subject: (domain) => `${domain} is renewed for one year`,
      preheader: (until) => `New expiry date: ${until}.`,
      body: ['We renewed ', ' for one year. Your site stays online.'],
      facts: ['Amount paid', 'New expiry'],
      invoice: 'The invoice is available from your tracking page.',
    },
  },
  (c, v: RenewalView, l) => ({
    preheader: c.preheader(day(v.expiresAt, l)),
    blocks: [paragraph(...weave(c.body, strong(v.domain))), labelled(c.facts, [price(v, l), day(v.expiresAt, l)]), paragraph(link(c.invoice, v.trackingUrl))],
  }),
);

/** The renewal needs paying by link: the saved card was declined, none is saved, or the domain is in its grace period. */
export const renewalPaymentEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `Action requise : renouvellement de ${domain}`,
      preheader: 'Un paiement est nécessaire pour garder votre site et votre nom de domaine.',
      declined: 'Le paiement du renouvellement sur votre moyen de paiement enregistré a été refusé.',
      noMethod: 'Le renouvellement de votre nom de domaine est à payer.',
      expired: 'Votre nom de domaine a expiré : votre site affiche une page d’avis. Vous pouvez encore le renouveler.',
      redemption:
        'Votre nom de domaine a expiré et le délai de grâce du registraire est passé : il est en rédemption. Le registraire peut encore le restaurer, à un prix de rachat plus élevé qu’un renouvellement, indiqué ci-dessous (un an de renouvellement compris).',
      facts: ['Nom de domaine', 'Expiration', 'Montant'],
      pay: (amount: string) => `Payer ${amount} et renouveler`,
      lapse: ['Sans paiement, le site sera supprimé et le nom de domaine perdu le ', '.'],
    },
    en: {
      subject: (domain) => `Action needed: renewal of ${domain}`,
      preheader: 'A payment is needed to keep your site and your domain name.',
      declined: 'The renewal payment on your saved payment method was declined.',
      noMethod: 'The renewal of your domain name is due.',
      expired: 'Your domain name has expired: your site shows a notice page. You can still renew it.',
      redemption:
        'Your domain name has expired and the registrar’s grace period is over: it is in redemption. The registrar can still restore it, at a redemption price higher than a renewal, shown below (a year’s renewal included).',
      facts: ['Domain name', 'Expires', 'Amount'],
      pay: (amount) => `Pay ${amount} and renew`,
      lapse: ['Without payment, the site will be removed and the domain name lost on ', '.'],
    },
  },
  (c, v: RenewalView & { reason: 'declined' | 'no_method' | 'expired' | 'redemption'; lostAt: Instant }, l) => ({
    blocks: [
      callout({ declined: c.declined, expired: c.expired, redemption: c.redemption, no_method: c.noMethod }[v.reason]),
      labelled(c.facts, [v.domain, day(v.expiresAt, l), price(v, l)]),
      button(c.pay(price(v, l)), v.paymentUrl ?? v.trackingUrl),
      paragraph(...weave(c.lapse, strong(day(v.lostAt, l)))),
    ],
  }),
);

/** The grace period ended unpaid: the hosting is removed and the name is no longer the customer's. */
export const renewalLostEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `${domain} n’a pas été renouvelé`,
      preheader: 'Votre site a été supprimé.',
      body: [
        'Le nom de domaine ',
        ' n’a pas été renouvelé à temps : son hébergement est supprimé et sa surveillance arrêtée. Le registraire peut encore le restaurer quelques semaines contre des frais de rachat : écrivez-nous si vous le souhaitez.',
      ],
    },
    en: {
      subject: (domain) => `${domain} was not renewed`,
      preheader: 'Your site has been removed.',
      body: [
        'The domain name ',
        ' was not renewed in time: its hosting is removed and its monitoring stopped. The registrar can still restore it for a few weeks for a redemption fee: write to us if you wish.',
      ],
    },
  },
  (c, v: CustomerView) => ({ blocks: [paragraph(...weave(c.body, strong(v.domain)))] }),
);

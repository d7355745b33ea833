// The renewal emails' key lines in French and in English: the subject, the price, the dates, and what happens next
// (the card charged, a link coming, or the site lapsing when automatic renewal is off). The full renderings are
// recorded by email-snapshots.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renewalLostEmail, renewalPaymentEmail, renewalReminderEmail, renewedEmail, type RenewalView } from '../../src/emails/renewal.ts';

const base: RenewalView = {
  businessName: 'Fromagerie Martin',
  domain: 'fromagerie-martin.fr',
  supportEmail: 'support@conciergerie.example',
  expiresAt: '2027-06-15T10:00:00Z',
  priceCents: 6100,
  currency: 'EUR',
  autoRenew: true,
  chargeAt: '2027-05-16T10:00:00Z',
  savedMethod: 'visa •••• 4242',
  trackingUrl: 'https://conciergerie.example/suivi/abc',
};
/** the plain text on one line, spaces normalised (Intl puts narrow no-break spaces in French amounts and dates) */
const flat = (s: string) => s.replace(/\s+/g, ' ');

const WORDS = {
  fr: {
    subject: 'Renouvellement de fromagerie-martin.fr',
    price: '61,00 €',
    expires: 'mardi 15 juin 2027',
    charged: 'Rien à faire : le dimanche 16 mai 2027',
    card: 'sur visa •••• 4242 et renouvellerons le domaine pour un an',
    link: 'nous vous enverrons un lien pour payer 61,00 €',
    lapse: 'Le renouvellement automatique est désactivé : sans paiement, votre site sera remplacé par une page d’avis à l’expiration',
    paySubject: 'Action requise : renouvellement de fromagerie-martin.fr',
    declined: 'Le paiement du renouvellement sur votre moyen de paiement enregistré a été refusé.',
    payButton: 'Payer 61,00 € et renouveler',
    redemption: 'il est en rédemption. Le registraire peut encore le restaurer, à un prix de rachat plus élevé qu’un renouvellement',
    redemptionButton: 'Payer 159,00 € et renouveler',
    lost: 'Sans paiement, le site sera supprimé et le nom de domaine perdu le jeudi 15 juillet 2027',
    renewedSubject: 'fromagerie-martin.fr est renouvelé pour un an',
    lostSubject: 'fromagerie-martin.fr n’a pas été renouvelé',
  },
  en: {
    subject: 'Renewal of fromagerie-martin.fr',
    price: '€61.00',
    expires: 'Tuesday, 15 June 2027',
    charged: 'Nothing to do: on Sunday, 16 May 2027',
    card: 'to visa •••• 4242 and renew the domain for one year',
    link: 'we will send you a link to pay €61.00',
    lapse: 'Automatic renewal is off: without payment, your site will be replaced by a notice page at expiry',
    paySubject: 'Action needed: renewal of fromagerie-martin.fr',
    declined: 'The renewal payment on your saved payment method was declined.',
    payButton: 'Pay €61.00 and renew',
    redemption: 'it is in redemption. The registrar can still restore it, at a redemption price higher than a renewal',
    redemptionButton: 'Pay €159.00 and renew',
    lost: 'Without payment, the site will be removed and the domain name lost on Thursday, 15 July 2027',
    renewedSubject: 'fromagerie-martin.fr is renewed for one year',
    lostSubject: 'fromagerie-martin.fr was not renewed',
  },
} as const;

for (const l of ['fr', 'en'] as const) {
  const w = WORDS[l];

  test(`${l}: the reminder with automatic renewal on and a saved card says when the card is charged, how much, until when`, () => {
    const m = renewalReminderEmail(base, l);
    assert.equal(flat(m.subject), w.subject);
    const text = flat(m.text);
    for (const line of [w.price, w.expires, w.charged, w.card]) assert.ok(text.includes(line), `${line}\n---\n${text}`);
    assert.ok(!text.includes(w.lapse));
    assert.ok(text.includes(base.trackingUrl));
  });

  test(`${l}: the reminder with automatic renewal on and no saved card (PayPal) says a payment link comes on the charge date`, () => {
    const text = flat(renewalReminderEmail({ ...base, savedMethod: undefined }, l).text);
    assert.ok(text.includes(w.link), text);
    assert.ok(!text.includes('4242'));
  });

  test(`${l}: the reminder with automatic renewal off says nothing is charged and what happens at expiry`, () => {
    const m = renewalReminderEmail({ ...base, autoRenew: false, paymentUrl: 'https://checkout.example/pay/cs_1' }, l);
    const text = flat(m.text);
    assert.ok(text.includes(w.lapse), text);
    assert.ok(!text.includes(w.charged));
    assert.ok(text.includes('https://checkout.example/pay/cs_1'), 'the payment link when one is out');
    assert.ok(text.includes(w.price));
  });

  test(`${l}: a declined charge: the payment email states the amount on its button and the day the domain is lost`, () => {
    const m = renewalPaymentEmail({ ...base, paymentUrl: 'https://checkout.example/pay/cs_2', reason: 'declined', lostAt: '2027-07-15T10:00:00Z' }, l);
    assert.equal(flat(m.subject), w.paySubject);
    const text = flat(m.text);
    for (const line of [w.declined, w.payButton, w.lost, w.expires]) assert.ok(text.includes(line), `${line}\n---\n${text}`);
  });

  test(`${l}: past the registrar's grace period: the payment email says it is a restore from redemption, and its price`, () => {
    const v = { ...base, priceCents: 15_900, paymentUrl: 'https://checkout.example/pay/cs_3', reason: 'redemption' as const, lostAt: '2027-08-14T10:00:00Z' };
    const text = flat(renewalPaymentEmail(v, l).text);
    for (const line of [w.redemption, w.redemptionButton]) assert.ok(text.includes(line), `${line}\n---\n${text}`);
    assert.ok(!text.includes(w.payButton), 'not the renewal price');
  });

  test(`${l}: renewed and lost: their subjects`, () => {
    assert.equal(flat(renewedEmail({ ...base, expiresAt: '2028-06-15T10:00:00Z' }, l).subject), w.renewedSubject);
    assert.equal(flat(renewalLostEmail(base, l).subject), w.lostSubject);
  });
}

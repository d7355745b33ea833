// The yearly renewal of a delivered order, on the tracking page and in the customer's space: when the domain expires,
// where the renewal stands, what next year costs with VAT, the card saved for it, and the automatic renewal switch
// (off: the site stays until expiry; on again: charged before it).
import { useState } from 'react';
import { ApiError, api, type OrderStatus } from '../api.ts';
import { useLocale, type Locale } from '../i18n.ts';
import { dateTime, money } from '../format.ts';
import { FormError } from '../ui/Form.tsx';
import { methodLabel, type ShownMethod } from '../../../src/domain/payment-method.ts';

/** Where the renewal stands, in the customer's terms (the space's API gives it so; the tracking page's is mapped). */
export type RenewalStanding = 'scheduled' | 'off' | 'charging' | 'charged' | 'dunning' | 'grace' | 'expired' | 'transferred';

export interface RenewalView {
  state: RenewalStanding;
  autoRenew: boolean;
  expiresAt: string | null;
  /** the charge date while automatic renewal is on and scheduled */
  date: string | null;
  price: { cents: number; currency: string } | null;
  vat?: { cents: number; rateBp: number } | null;
  /** past the registrar's grace period: `price` is the restore from redemption's */
  redemption?: boolean;
  savedPaymentMethod: ShownMethod | null;
}

const TEXTS = {
  fr: {
    title: 'Renouvellement annuel',
    expires: 'Le nom de domaine expire le',
    price: 'Renouvellement pour un an (TTC)',
    redemptionPrice: 'Rachat en rédemption et un an de renouvellement (TTC)',
    redemption: (date: string) =>
      `Le nom de domaine a expiré le ${date} et le délai de grâce du registraire est passé : il est en rédemption. Le registraire peut encore le restaurer, au prix de rachat ci-dessous, plus élevé qu’un renouvellement. Payez le lien reçu par e-mail pour le récupérer.`,
    vat: (vat: string, rate: string) => `dont TVA ${rate} : ${vat}`,
    card: 'Moyen de paiement enregistré',
    noCard: 'Aucun moyen de paiement enregistré : le renouvellement se paie par un lien envoyé par e-mail.',
    switch: 'Renouveler automatiquement',
    on: (date: string) => `Activé : prélèvement automatique le ${date}, après un rappel par e-mail.`,
    onNoDate: 'Activé : le renouvellement est prélevé avant l’expiration, après un rappel par e-mail.',
    off: (date: string) => `Désactivé : rien ne sera prélevé. Le site reste en ligne jusqu’au ${date} ; vous recevrez des rappels avec un lien de paiement.`,
    standing: {
      charging: 'Prélèvement du renouvellement en cours.',
      charged: 'Renouvellement payé : le nom de domaine est renouvelé chez le registraire.',
      dunning: 'Le paiement du renouvellement a été refusé : un lien de paiement vous a été envoyé par e-mail.',
      grace: (date: string) =>
        `Le nom de domaine a expiré le ${date} sans paiement : le site affiche un avis. Payez le lien reçu par e-mail pour le remettre en ligne.`,
    } as Partial<Record<RenewalStanding, string | ((date: string) => string)>>,
    closed: 'Ce nom de domaine n’est plus renouvelable ici.',
    offline: 'La modification n’a pas pu être envoyée. Vérifiez votre connexion puis réessayez.',
  },
  en: {
    title: 'Yearly renewal',
    expires: 'The domain name expires on',
    price: 'Renewal for one year (incl. VAT)',
    redemptionPrice: 'Redemption restore and a year’s renewal (incl. VAT)',
    redemption: (date: string) =>
      `The domain name expired on ${date} and the registrar’s grace period is over: it is in redemption. The registrar can still restore it, at the redemption price below, higher than a renewal. Pay the link you got by email to get it back.`,
    vat: (vat: string, rate: string) => `including ${rate} VAT: ${vat}`,
    card: 'Saved payment method',
    noCard: 'No payment method saved: the renewal is paid by a link sent by email.',
    switch: 'Renew automatically',
    on: (date: string) => `On: charged automatically on ${date}, after an email reminder.`,
    onNoDate: 'On: the renewal is charged before expiry, after an email reminder.',
    off: (date: string) => `Off: nothing will be charged. The site stays online until ${date}; you will get reminders with a payment link.`,
    standing: {
      charging: 'The renewal is being charged.',
      charged: 'Renewal paid: the domain name is being renewed at the registrar.',
      dunning: 'The renewal payment was declined: a payment link was emailed to you.',
      grace: (date: string) => `The domain name expired on ${date} unpaid: the site shows a notice. Pay the link you got by email to bring it back.`,
    } as Partial<Record<RenewalStanding, string | ((date: string) => string)>>,
    closed: 'This domain name can no longer be renewed here.',
    offline: 'The change could not be sent. Check your connection and try again.',
  },
};

/** The tracking page's summary (the plan's own states) in the same terms as the space's. */
export function fromStatus(r: NonNullable<OrderStatus['renewal']>): RenewalView {
  const standing: Record<string, RenewalStanding> = { paid: 'charged', lost: 'expired', gone: 'transferred' };
  const state = r.state === 'scheduled' ? (r.autoRenew ? 'scheduled' : 'off') : (standing[r.state] ?? (r.state as RenewalStanding));
  return { ...r, state, price: r.price && { cents: r.price.amountCents, currency: r.price.currency } };
}

const percent = (rateBp: number, locale: Locale) =>
  new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', maximumFractionDigits: 2 }).format(rateBp / 10_000);

export function RenewalPanel({
  renewal,
  change,
  id = 'renewal',
  heading: Heading = 'h3',
}: {
  renewal: RenewalView;
  change(on: boolean, locale: Locale): Promise<RenewalView>;
  /** the ids' stem: one per order on a page */
  id?: string;
  heading?: 'h3' | 'h4';
}) {
  const { locale } = useLocale();
  const t = TEXTS[locale];
  const [r, setR] = useState(renewal);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const closed = r.state === 'expired' || r.state === 'transferred';
  const expires = r.expiresAt ? dateTime(r.expiresAt, locale) : '';
  const standing = r.redemption ? t.redemption : t.standing[r.state];

  const toggle = async (on: boolean) => {
    // not disabled while sending: a disabled box would lose the keyboard's focus
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      setR(await change(on, locale));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t.offline);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel panel-info renewal" aria-labelledby={`${id}-title`} data-testid="renewal">
      <Heading id={`${id}-title`}>{t.title}</Heading>
      {standing && <p role="status">{typeof standing === 'string' ? standing : standing(expires)}</p>}
      <dl className="facts">
        <dt>{t.expires}</dt>
        <dd>{expires}</dd>
        {r.price && (
          <>
            <dt>{r.redemption ? t.redemptionPrice : t.price}</dt>
            <dd>
              {money(r.price.cents, r.price.currency, locale)}
              {r.vat && r.vat.rateBp > 0 && (
                <span className="muted small"> ({t.vat(money(r.vat.cents, r.price.currency, locale), percent(r.vat.rateBp, locale))})</span>
              )}
            </dd>
          </>
        )}
        <dt>{t.card}</dt>
        <dd>{r.savedPaymentMethod ? methodLabel(r.savedPaymentMethod) : t.noCard}</dd>
      </dl>
      {closed ? (
        <p>{t.closed}</p>
      ) : (
        <div className="field field-check">
          <input
            id={`${id}-auto`}
            type="checkbox"
            checked={r.autoRenew}
            aria-busy={busy}
            onChange={(e) => toggle(e.target.checked)}
            aria-describedby={`${id}-auto-note`}
          />
          <label htmlFor={`${id}-auto`}>{t.switch}</label>
          <p id={`${id}-auto-note`} className="muted small" aria-live="polite">
            {r.autoRenew ? (r.date ? t.on(dateTime(r.date, locale)) : t.onNoDate) : t.off(expires)}
          </p>
        </div>
      )}
      <FormError error={error} />
    </section>
  );
}

/** The tracking page's panel: the switch by the order's tracking token. */
export function TrackingRenewalPanel({ renewal, token }: { renewal: NonNullable<OrderStatus['renewal']>; token: string }) {
  return <RenewalPanel renewal={fromStatus(renewal)} change={(on, locale) => api.setAutoRenew(token, on, locale).then(fromStatus)} />;
}

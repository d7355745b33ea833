// The yearly renewal on the tracking page of a delivered order: when the domain expires, what next year costs, the card
// saved for it, and the automatic renewal switch (off: the site stays until expiry; on again: charged before it).
import { useState } from 'react';
import { ApiError, api, type OrderStatus } from '../api.ts';
import { useLocale } from '../i18n.ts';
import { dateTime, money } from '../format.ts';
import { FormError } from '../ui/Form.tsx';

type Renewal = NonNullable<OrderStatus['renewal']>;

const TEXTS = {
  fr: {
    title: 'Renouvellement annuel',
    expires: 'Le nom de domaine expire le',
    price: 'Renouvellement pour un an',
    card: 'Moyen de paiement enregistré',
    switch: 'Renouveler automatiquement',
    on: (date: string) => `Activé : prélèvement automatique le ${date}, après un rappel par e-mail.`,
    onNoDate: 'Activé : le renouvellement est prélevé avant l’expiration, après un rappel par e-mail.',
    off: (date: string) => `Désactivé : rien ne sera prélevé. Le site reste en ligne jusqu’au ${date} ; vous recevrez des rappels avec un lien de paiement.`,
    closed: 'Ce nom de domaine n’est plus renouvelable ici.',
    offline: 'La modification n’a pas pu être envoyée. Vérifiez votre connexion puis réessayez.',
  },
  en: {
    title: 'Yearly renewal',
    expires: 'The domain name expires on',
    price: 'Renewal for one year',
    card: 'Saved payment method',
    switch: 'Renew automatically',
    on: (date: string) => `On: charged automatically on ${date}, after an email reminder.`,
    onNoDate: 'On: the renewal is charged before expiry, after an email reminder.',
    off: (date: string) => `Off: nothing will be charged. The site stays online until ${date}; you will get reminders with a payment link.`,
    closed: 'This domain name can no longer be renewed here.',
    offline: 'The change could not be sent. Check your connection and try again.',
  },
};

export function RenewalPanel({ renewal, token }: { renewal: Renewal; token: string }) {
  const { locale } = useLocale();
  const t = TEXTS[locale];
  const [r, setR] = useState(renewal);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const closed = r.state === 'lost' || r.state === 'gone';
  const expires = dateTime(r.expiresAt, locale);

  const toggle = async (on: boolean) => {
    // not disabled while sending: a disabled box would lose the keyboard's focus
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      setR(await api.setAutoRenew(token, on, locale));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t.offline);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel panel-info renewal" aria-labelledby="renewal-title" data-testid="renewal">
      <h3 id="renewal-title">{t.title}</h3>
      <dl className="facts">
        <dt>{t.expires}</dt>
        <dd>{expires}</dd>
        {r.price && (
          <>
            <dt>{t.price}</dt>
            <dd>{money(r.price.amountCents, r.price.currency, locale)}</dd>
          </>
        )}
        {r.savedPaymentMethod && (
          <>
            <dt>{t.card}</dt>
            <dd>
              {r.savedPaymentMethod.brand} •••• {r.savedPaymentMethod.last4}
            </dd>
          </>
        )}
      </dl>
      {closed ? (
        <p>{t.closed}</p>
      ) : (
        <div className="field field-check">
          <input
            id="renewal-auto"
            type="checkbox"
            checked={r.autoRenew}
            aria-busy={busy}
            onChange={(e) => toggle(e.target.checked)}
            aria-describedby="renewal-auto-note"
          />
          <label htmlFor="renewal-auto">{t.switch}</label>
          <p id="renewal-auto-note" className="muted small" aria-live="polite">
            {r.autoRenew ? (r.date ? t.on(dateTime(r.date, locale)) : t.onNoDate) : t.off(expires)}
          </p>
        </div>
      )}
      <FormError error={error} />
    </section>
  );
}

// Step 4: Stripe or PayPal, a last look at the order, then off to the provider's payment page.
import { useEffect } from 'react';
import { useLocale } from '../i18n.ts';
import type { PaymentProvider, PriceList, Tier } from '../api.ts';
import { money } from '../format.ts';
import { quoteLines } from './DeliveryStep.tsx';
import type { DomainChoice } from './DomainStep.tsx';

export function PaymentStep({
  prices,
  domain,
  tier,
  provider,
  onProvider,
  submitting,
  error,
  onBack,
  onPay,
}: {
  prices: PriceList | null;
  domain: DomainChoice;
  tier: Tier;
  provider: PaymentProvider;
  onProvider(p: PaymentProvider): void;
  submitting: 'idle' | 'sending' | 'redirecting';
  error: string | null;
  onBack(): void;
  onPay(): void;
}) {
  const { t, locale } = useLocale();
  useEffect(() => {
    document.querySelector<HTMLInputElement>('input[name="paymentProvider"]:checked')?.focus();
  }, []);
  const total = prices ? quoteLines(prices, domain.price, tier).reduce((s, l) => s + l.amountCents, 0) : null;
  const amount = total !== null ? money(total, prices!.currency, locale) : '';
  const busy = submitting !== 'idle';
  const providers: { id: PaymentProvider; label: string; note: string }[] = [
    { id: 'stripe', label: t.payment.stripe, note: t.payment.stripeNote },
    { id: 'paypal', label: t.payment.paypal, note: t.payment.paypalNote },
  ];
  return (
    <form
      className="step"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) onPay();
      }}
    >
      <p className="step-intro">{t.payment.intro}</p>
      <p className="recap">
        <strong>{t.payment.recap(domain.unicode, tier === 'express' ? t.delivery.express : t.delivery.standard)}</strong>
        {amount && <span className="price">{amount}</span>}
      </p>
      <fieldset className="choices choices-inline">
        <legend>{t.payment.legend}</legend>
        {providers.map((p) => (
          <label key={p.id} className={`choice ${provider === p.id ? 'choice-selected' : ''}`}>
            <input type="radio" name="paymentProvider" value={p.id} checked={provider === p.id} onChange={() => onProvider(p.id)} disabled={busy} />
            <span className="choice-main">
              <strong>{p.label}</strong>
              <span className="choice-detail">{p.note}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <p className="muted small">{t.payment.terms}</p>
      <div className="step-actions">
        <button type="button" className="button button-ghost" onClick={onBack} disabled={busy}>
          {t.modal.back}
        </button>
        <button type="submit" className="button button-primary" aria-busy={busy || undefined}>
          {busy && <span className="spinner" aria-hidden="true" />}
          {submitting === 'sending' ? t.payment.paying : submitting === 'redirecting' ? t.payment.redirecting : t.payment.pay(amount)}
        </button>
      </div>
    </form>
  );
}

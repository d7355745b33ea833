// Step 4: the site's content (the editor, or the customer's own ZIP), Stripe or PayPal, a last look at the order, then off to the provider's payment page.
import { BillingFields, type BillingDraft } from './BillingFields.tsx';
import { useEffect } from 'react';
import { useLocale } from '../i18n.ts';
import type { PaymentProvider, PriceList, Tier } from '../api.ts';
import { money } from '../format.ts';
import { quoteLines } from './DeliveryStep.tsx';
import type { DomainChoice } from './DomainStep.tsx';
import { Choice, FormError, StepActions, StepForm } from '../ui/Form.tsx';
import { Consent, type ConsentState } from '../legal/Consent.tsx';

export type ContentChoice = 'editor' | 'archive';

export interface ContentState {
  choice: ContentChoice;
  file: File | null;
  /** 0..1 while the archive is being sent */
  progress: number | null;
  /** the server's reason for refusing the archive (in the person's language), or a local one */
  error: string | null;
  /** the refusal came from the server: the order exists, only the archive was refused */
  refused: boolean;
}

export function PaymentStep({
  prices,
  domain,
  tier,
  provider,
  onProvider,
  submitting,
  error,
  content,
  onContent,
  billing,
  onBilling,
  onBack,
  onPay,
  autoRenew,
  onAutoRenew,
  consent,
  onConsent,
  termsVersion,
  consentProblem,
}: {
  prices: PriceList | null;
  domain: DomainChoice;
  tier: Tier;
  provider: PaymentProvider;
  onProvider(p: PaymentProvider): void;
  submitting: 'idle' | 'sending' | 'uploading' | 'redirecting';
  error: string | null;
  content: ContentState;
  onContent(c: ContentState): void;
  billing: BillingDraft;
  onBilling(b: BillingDraft): void;
  onBack(): void;
  onPay(): void;
  /** automatic yearly renewal, on by default */
  autoRenew: boolean;
  onAutoRenew(on: boolean): void;
  consent: ConsentState;
  onConsent(c: ConsentState): void;
  termsVersion: string | null;
  consentProblem: string | null;
}) {
  const { t, locale } = useLocale();
  useEffect(() => {
    document.querySelector<HTMLInputElement>('input[name="paymentProvider"]:checked')?.focus();
  }, []);
  const total = prices ? quoteLines(prices, domain.price, tier).reduce((s, l) => s + l.amountCents, 0) : null;
  const amount = total !== null ? money(total, prices!.currency, locale) : '';
  const busy = submitting !== 'idle';
  // next year's price: the domain at its price, and the service's renewal fee
  const renewal = prices ? money(domain.price.amountCents + (prices.renewalServiceCents ?? 0), prices.currency, locale) : '';
  const providers: { id: PaymentProvider; label: string; note: string }[] = [
    { id: 'stripe', label: t.payment.stripe, note: t.payment.stripeNote },
    { id: 'paypal', label: t.payment.paypal, note: t.payment.paypalNote },
  ];
  return (
    <StepForm onSubmit={() => !busy && onPay()}>
      <p className="step-intro">{t.payment.intro}</p>
      <p className="recap">
        <strong>{t.payment.recap(domain.unicode, tier === 'express' ? t.delivery.express : t.delivery.standard)}</strong>
        {amount && <span className="price">{amount}</span>}
        {total !== null && prices?.vat && (
          <span className="muted small price-vat">
            {' '}
            {t.payment.vat(
              prices.vat.pricesIncludeVat,
              `${prices.vat.rateBp / 100} %`,
              money(Math.round((total * 10_000) / (10_000 + prices.vat.rateBp)), prices.currency, locale),
            )}
          </span>
        )}
      </p>
      <SiteContentChoice content={content} onContent={onContent} busy={busy} />
      <BillingFields value={billing} onChange={onBilling} disabled={busy} />
      <fieldset className="choices choices-inline">
        <legend>{t.payment.legend}</legend>
        {providers.map((p) => (
          <Choice key={p.id} name="paymentProvider" value={p.id} chosen={provider === p.id} onChoose={() => onProvider(p.id)} disabled={busy}>
            <span className="choice-main">
              <strong>{p.label}</strong>
              <span className="choice-detail">{p.note}</span>
            </span>
          </Choice>
        ))}
      </fieldset>
      <div className="field field-check">
        <input
          id="auto-renew"
          name="autoRenew"
          type="checkbox"
          checked={autoRenew}
          onChange={(e) => onAutoRenew(e.target.checked)}
          disabled={busy}
          aria-describedby="auto-renew-note"
        />
        <label htmlFor="auto-renew">{t.payment.autoRenew(renewal)}</label>
        <p id="auto-renew-note" className="muted small">
          {autoRenew ? t.payment.autoRenewOn(prices?.renewalChargeDaysBefore ?? 30) : t.payment.autoRenewOff}
        </p>
      </div>
      <Consent value={consent} onChange={onConsent} version={termsVersion} problem={consentProblem} disabled={busy} decided />
      <FormError error={error} />
      <p className="muted small">{t.payment.terms}</p>
      <StepActions back={t.modal.back} onBack={onBack} busy={busy}>
        {busy && <span className="spinner" aria-hidden="true" />}
        {submitting === 'sending'
          ? t.payment.paying
          : submitting === 'uploading'
            ? t.siteContent.uploading(Math.round((content.progress ?? 0) * 100))
            : submitting === 'redirecting'
              ? t.payment.redirecting
              : t.payment.pay(amount)}
      </StepActions>
    </StepForm>
  );
}

/** The editor or the customer's own site as a ZIP: chosen here, sent once the order exists (before paying). */
function SiteContentChoice({ content, onContent, busy }: { content: ContentState; onContent(c: ContentState): void; busy: boolean }) {
  const { t } = useLocale();
  const s = t.siteContent;
  const options: { id: ContentChoice; label: string; note: string }[] = [
    { id: 'editor', label: s.editor, note: s.editorNote },
    { id: 'archive', label: s.archive, note: s.archiveNote },
  ];
  return (
    <fieldset className="choices site-content-choice">
      <legend>{s.legend}</legend>
      {options.map((o) => (
        <Choice
          key={o.id}
          name="siteContent"
          value={o.id}
          chosen={content.choice === o.id}
          disabled={busy}
          onChoose={() => onContent({ ...content, choice: o.id, error: null, refused: false })}
        >
          <span className="choice-main">
            <strong>{o.label}</strong>
            <span className="choice-detail">{o.note}</span>
          </span>
        </Choice>
      ))}
      {content.choice === 'archive' && (
        <div className="field archive-field">
          <label htmlFor="site-archive">{s.file}</label>
          <input
            id="site-archive"
            type="file"
            accept=".zip,application/zip,application/x-zip-compressed"
            disabled={busy}
            aria-invalid={content.error ? true : undefined}
            aria-describedby={content.error ? 'site-archive-error' : undefined}
            onChange={(e) => onContent({ ...content, file: e.target.files?.[0] ?? null, error: null, refused: false })}
          />
          {content.progress !== null && <progress className="archive-progress" max={1} value={content.progress} aria-label={s.uploadLabel} />}
          {content.error && (
            <div className="form-error" id="site-archive-error" role="alert" data-testid="archive-error">
              {content.refused && <strong>{s.refused} </strong>}
              {content.error}
              {content.refused && <p className="small">{s.kept}</p>}
            </div>
          )}
        </div>
      )}
    </fieldset>
  );
}

// Step 3: express or standard, the itemised price, and the deadline as a clock time in the person's time zone ("if you pay now").
import { useEffect, useState } from 'react';
import { useLocale } from '../i18n.ts';
import type { Money, PriceCode, PriceList, Tier } from '../api.ts';
import { clockTime, money, timeZone } from '../format.ts';
import { Choice, StepActions, StepForm } from '../ui/Form.tsx';

export interface QuoteLine {
  code: PriceCode;
  amountCents: number;
}

/** The same lines the API quotes: first-year domain, service, and the express surcharge when express. */
export function quoteLines(prices: PriceList, domainPrice: Money, tier: Tier): QuoteLine[] {
  const lines: QuoteLine[] = [
    { code: 'domain_first_year', amountCents: domainPrice.amountCents },
    { code: 'service', amountCents: prices.serviceCents },
  ];
  if (tier === 'express') lines.push({ code: 'express_surcharge', amountCents: prices.expressSurchargeCents });
  return lines;
}

export function useNow(everyMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

export function DeliveryStep({
  prices,
  domainPrice,
  tier,
  onTier,
  onBack,
  onNext,
}: {
  prices: PriceList | null;
  domainPrice: Money;
  tier: Tier;
  onTier(t: Tier): void;
  onBack(): void;
  onNext(): void;
}) {
  const { t, locale } = useLocale();
  const now = useNow(15_000);
  useEffect(() => {
    document.querySelector<HTMLInputElement>('input[name="tier"]:checked')?.focus();
  }, []);

  const currency = prices?.currency ?? domainPrice.currency;
  const option = (value: Tier) => {
    const hours = prices ? (value === 'express' ? prices.expressHours : prices.standardHours) : null;
    const total = prices ? quoteLines(prices, domainPrice, value).reduce((s, l) => s + l.amountCents, 0) : null;
    const by = hours !== null ? clockTime(new Date(now.getTime() + hours * 3_600_000), locale, now) : null;
    return (
      <Choice className="choice-card" key={value} name="tier" value={value} chosen={tier === value} onChoose={() => onTier(value)}>
        <span className="choice-main">
          <strong>{value === 'express' ? t.delivery.express : t.delivery.standard}</strong>
          {hours !== null && <span className="choice-detail">{t.delivery.within(hours)}</span>}
          {by && (
            <span className="choice-detail deadline">
              {t.delivery.by(by)} <span className="muted">{t.delivery.ifPaidNow}</span>
            </span>
          )}
        </span>
        {total !== null && <span className="choice-side price">{money(total, currency, locale)}</span>}
      </Choice>
    );
  };

  const lines = prices ? quoteLines(prices, domainPrice, tier) : [];
  return (
    <StepForm onSubmit={onNext}>
      <p className="step-intro">{t.delivery.intro}</p>
      <fieldset className="choices">
        <legend className="visually-hidden">{t.delivery.legend}</legend>
        {option('express')}
        {option('standard')}
      </fieldset>
      <p className="muted small">{t.delivery.timeZone(timeZone())}</p>
      {prices && (
        <section className="quote" aria-label={t.delivery.summary}>
          <h3>{t.delivery.summary}</h3>
          <dl>
            {lines.map((l) => (
              <div key={l.code}>
                <dt>{t.delivery.items[l.code]}</dt>
                <dd>{money(l.amountCents, currency, locale)}</dd>
              </div>
            ))}
            <div className="quote-total">
              <dt>{t.delivery.total}</dt>
              <dd>
                {money(
                  lines.reduce((s, l) => s + l.amountCents, 0),
                  currency,
                  locale,
                )}
              </dd>
            </div>
          </dl>
          {domainPrice.premium && <p className="muted small">{t.delivery.premium}</p>}
        </section>
      )}
      <StepActions back={t.modal.back} onBack={onBack}>
        {t.modal.next}
      </StepActions>
    </StepForm>
  );
}

// Step 2: the domain name, checked live as the person types (debounced, the previous check cancelled); taken names offer free alternatives.
import { useEffect, useId, useRef } from 'react';
import { useLocale } from '../i18n.ts';
import { Field } from '../ui/Field.tsx';
import { ApiError, NetworkError, api, type Alternative, type DomainCheck, type Money, type PriceList } from '../api.ts';
import { money } from '../format.ts';
import { tldList } from '../prices.ts';
import type { BusinessForm } from './BusinessStep.tsx';
import { Choice, StepActions, StepForm } from '../ui/Form.tsx';

export interface DomainChoice {
  domain: string;
  unicode: string;
  price: Money;
  /** the taken name this one was offered for: the order says it was ordered instead */
  requestedDomain?: string;
}

export type DomainCheckState =
  | { status: 'idle'; input?: string }
  | { status: 'checking'; input: string }
  | { status: 'available'; input: string; result: DomainCheck }
  | { status: 'taken'; input?: string; domain: string; alternatives: Alternative[]; premiumRefused?: boolean; message?: string }
  | { status: 'invalid'; input: string; message: string }
  | { status: 'error'; input: string; message: string };

const DEBOUNCE_MS = 300;

/** What the person typed, as a name: no scheme, no "www.", no path, lower case. */
export function normalizeDomain(input: string): string {
  return input
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#].*$/, '')
    .replace(/\.$/, '');
}

/** A first idea from the business name: "Boulangerie Dupont" → "boulangerie-dupont.fr". */
export function suggestDomain(businessName: string, tld: string): string {
  const label = businessName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label ? `${label}.${tld}` : '';
}

export function DomainStep(props: {
  business: BusinessForm;
  input: string;
  onInput(v: string): void;
  check: DomainCheckState;
  onCheck(c: DomainCheckState): void;
  choice: DomainChoice | null;
  onChoice(c: DomainChoice | null): void;
  error: string | null;
  onError(m: string | null): void;
  prices: PriceList | null;
  onBack(): void;
  onNext(): void;
}) {
  const { business, input, onInput, check, onCheck, choice, onChoice, error, onError, prices, onBack, onNext } = props;
  const { t, locale } = useLocale();
  const inputRef = useRef<HTMLInputElement>(null);
  const altName = useId();
  const tlds = tldList(prices);
  // the latest callbacks, for the debounced check
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    if (!input) {
      const tldsKnown = prices?.tlds.map((x) => x.tld) ?? ['fr', 'com'];
      const preferred = locale === 'fr' ? 'fr' : 'com';
      const suggestion = suggestDomain(business.businessName, tldsKnown.includes(preferred) ? preferred : (tldsKnown[0] ?? preferred));
      if (suggestion) onInput(suggestion);
    }
    inputRef.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const name = normalizeDomain(input);

  useEffect(() => {
    const { check: current } = latest.current;
    // already answered for this very name (coming back to this step, or the API's 409)
    if (current.status !== 'idle' && current.status !== 'checking' && current.input === name) return;
    if (!name) {
      onCheck({ status: 'idle' });
      return;
    }
    const problem = localProblem(name);
    if (problem) {
      onCheck({ status: 'invalid', input: name, message: problem });
      return;
    }
    onCheck({ status: 'checking', input: name });
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const r = await api.checkDomain(
          { name, businessName: business.businessName.trim() || undefined, city: business.city.trim() || undefined, lang: locale },
          controller.signal,
        );
        if (controller.signal.aborted) return;
        if (r.available && r.price) {
          latest.current.onCheck({ status: 'available', input: name, result: r });
          latest.current.onChoice({ domain: r.domain, unicode: r.unicode, price: r.price });
        } else {
          latest.current.onCheck({
            status: 'taken',
            input: name,
            domain: r.unicode,
            alternatives: r.alternatives ?? [],
            premiumRefused: r.reason === 'premium_too_expensive',
          });
        }
      } catch (err) {
        if (controller.signal.aborted || (err as Error).name === 'AbortError') return;
        if (err instanceof ApiError)
          latest.current.onCheck({ status: err.status === 422 ? 'invalid' : 'error', input: name, message: err.message || t.domain.unknown });
        else if (err instanceof NetworkError) latest.current.onCheck({ status: 'error', input: name, message: t.domain.offline });
        else latest.current.onCheck({ status: 'error', input: name, message: t.domain.unknown });
      }
    }, DEBOUNCE_MS);
    // typing on cancels both the pending check and the request in flight
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [name, locale]);

  function localProblem(n: string): string | null {
    if (!n.includes('.')) return t.domain.missingTld(tlds || '.fr, .com');
    const tld = n.slice(n.lastIndexOf('.') + 1);
    if (prices && tld && !prices.tlds.some((x) => x.tld === tld)) return t.domain.unsupportedTld(tld, tlds);
    return null;
  }

  const submit = () => {
    if (!choice) {
      onError(check.status === 'checking' ? null : t.domain.pickOne);
      if (check.status !== 'taken' || check.alternatives.length === 0) inputRef.current?.focus();
      else document.querySelector<HTMLInputElement>(`input[name="${CSS.escape(altName)}"]`)?.focus();
      return;
    }
    onNext();
  };

  let fieldError: string | null = error;
  if (!fieldError && (check.status === 'invalid' || check.status === 'error')) fieldError = check.message;
  if (!fieldError && check.status === 'taken')
    fieldError = check.message ?? (check.premiumRefused ? t.domain.premiumRefused(check.domain) : t.domain.taken(check.domain));

  const statusLine =
    check.status === 'checking' ? (
      <span className="check check-pending">
        <span className="spinner" aria-hidden="true" />
        {t.domain.checking}
      </span>
    ) : check.status === 'available' && check.result.price ? (
      <span className="check check-ok">
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
          <circle cx="10" cy="10" r="9" fill="currentColor" />
          <path d="M6 10.5l2.7 2.7L14.2 7.6" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <span>
          <strong>{t.domain.available(check.result.unicode)}</strong> ·{' '}
          {t.domain.firstYear(money(check.result.price.amountCents, check.result.price.currency, locale))}
          {check.result.price.premium && <span className="badge">{t.domain.premium}</span>}
        </span>
      </span>
    ) : null;

  return (
    <StepForm onSubmit={submit}>
      <p className="step-intro">{t.domain.intro}</p>
      <Field
        ref={inputRef}
        label={t.domain.label}
        hint={t.domain.hint(tlds || '.fr, .com')}
        name="domain"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        inputMode="url"
        maxLength={300}
        value={input}
        onChange={(e) => {
          onInput(e.target.value);
          onChoice(null);
          if (error) onError(null);
        }}
        error={fieldError}
        after={
          <div className="check-line" role="status" aria-live="polite">
            {statusLine}
          </div>
        }
      />
      {check.status === 'taken' && (
        <fieldset className="alternatives">
          <legend>{check.alternatives.length ? t.domain.alternatives : t.domain.noAlternatives}</legend>
          {check.alternatives.map((alt) => (
            <Choice
              key={alt.domain}
              name={altName}
              value={alt.domain}
              chosen={choice?.domain === alt.domain}
              onChoose={() => {
                onChoice({ domain: alt.domain, unicode: alt.domain, price: alt.price, requestedDomain: check.domain });
                onError(null);
              }}
            >
              <span className="choice-main">{alt.domain}</span>
              <span className="choice-side">
                {money(alt.price.amountCents, alt.price.currency, locale)}
                {alt.price.premium && <span className="badge">{t.domain.premium}</span>}
              </span>
            </Choice>
          ))}
        </fieldset>
      )}
      <StepActions back={t.modal.back} onBack={onBack}>
        {t.modal.next}
      </StepActions>
    </StepForm>
  );
}

// The order form's consent, on the payment step: who orders (a consumer or a business), the terms of sale accepted
// (linked, with their version), and a consumer's separate request that the work start before the withdrawal period
// ends (Code de la consommation L221-25, L221-28 1°). A business is told it has no right of withdrawal.
import { type ReactNode, useEffect, useState } from 'react';
import { api } from '../api.ts';
import type { LegalInfo } from '@contract/legal.ts';
import { useLocale } from '../i18n.ts';
import { Choice } from '../ui/Form.tsx';
import { legalHref, legalTexts } from './texts.ts';

export interface ConsentState {
  customerType: 'consumer' | 'business';
  acceptTerms: boolean;
  earlyStart: boolean;
}

export const NO_CONSENT: ConsentState = { customerType: 'consumer', acceptTerms: false, earlyStart: false };

let pending: Promise<LegalInfo> | null = null;

/** The terms' version in force (GET /api/legal), fetched once per page; `reload` after the server said it changed. */
export function useLegalInfo(): { info: LegalInfo | null; reload(): void } {
  const [info, setInfo] = useState<LegalInfo | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    pending ??= api.legal().catch((err) => {
      pending = null;
      throw err;
    });
    pending.then(
      (i) => live && setInfo(i),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [round]);
  return {
    info,
    reload: () => {
      pending = null;
      setRound((r) => r + 1);
    },
  };
}

/** What is missing before the order can be sent, in the person's language; null when nothing is. */
export function consentProblem(c: ConsentState, locale: 'fr' | 'en'): string | null {
  const w = legalTexts[locale].consent;
  if (!c.acceptTerms) return w.needTerms;
  if (c.customerType === 'consumer' && !c.earlyStart) return w.needEarlyStart;
  return null;
}

export function Consent({
  value,
  onChange,
  version,
  problem,
  disabled,
  decided = false,
}: {
  value: ConsentState;
  onChange(c: ConsentState): void;
  version: string | null;
  problem: string | null;
  disabled: boolean;
  /** the customer's kind follows from an identity given earlier (the domain's holder): shown, not asked again */
  decided?: boolean;
}) {
  const { locale } = useLocale();
  const w = legalTexts[locale].consent;
  const types = [
    { id: 'consumer' as const, label: w.consumer, note: w.consumerNote },
    { id: 'business' as const, label: w.business, note: w.businessNote },
  ];
  return (
    <fieldset className="consent" data-testid="consent">
      <legend>{w.legend}</legend>
      {decided ? (
        types
          .filter((o) => o.id === value.customerType)
          .map((o) => (
            <p key={o.id} data-testid="customer-type">
              <strong>{o.label}</strong> <span className="muted small">{o.note}</span>
            </p>
          ))
      ) : (
        <div className="choices choices-inline">
          {types.map((o) => (
            <Choice
              key={o.id}
              name="customerType"
              value={o.id}
              chosen={value.customerType === o.id}
              disabled={disabled}
              onChoose={() => onChange({ ...value, customerType: o.id })}
            >
              <span className="choice-main">
                <strong>{o.label}</strong>
                <span className="choice-detail">{o.note}</span>
              </span>
            </Choice>
          ))}
        </div>
      )}
      <Flag name="acceptTerms" value={value} onChange={onChange} disabled={disabled}>
        {w.acceptBefore}
        <a href={legalHref.terms[locale]} target="_blank" rel="noopener">
          {w.terms}
        </a>
        {version && `${w.acceptAfter}${version}${w.acceptEnd}`} {w.privacyBefore}
        <a href={legalHref.privacy[locale]} target="_blank" rel="noopener">
          {w.privacy}
        </a>
        .
      </Flag>
      {value.customerType === 'consumer' ? (
        <Flag name="earlyStart" value={value} onChange={onChange} disabled={disabled}>
          {w.earlyStart}
        </Flag>
      ) : (
        <p className="muted small" data-testid="no-withdrawal">
          {w.businessNoWithdrawal}
        </p>
      )}
      {problem && (
        <p className="consent-error" role="alert" data-testid="consent-error">
          {problem}
        </p>
      )}
    </fieldset>
  );
}

/** One of the consent's boxes, its label holding the text (and the links) it agrees to. */
function Flag({
  name,
  value,
  onChange,
  disabled,
  children,
}: {
  name: 'acceptTerms' | 'earlyStart';
  value: ConsentState;
  onChange(c: ConsentState): void;
  disabled: boolean;
  children: ReactNode;
}) {
  return (
    <label className="checkbox">
      <input type="checkbox" name={name} checked={value[name]} disabled={disabled} onChange={(e) => onChange({ ...value, [name]: e.target.checked })} />
      <span>{children}</span>
    </label>
  );
}

// "Your personal data", on the tracking page (by its token) and in the customer's space (by the session): download
// everything we hold (every order at this address, as JSON), or erase it after a confirmation; the answer says what
// was erased and what is kept, why and until when.
import { useState } from 'react';
import { ApiError } from '../api.ts';
import type { ErasureResult } from '@contract/legal.ts';
import { type Locale, useLocale } from '../i18n.ts';
import { FormError } from '../ui/Form.tsx';
import { legalTexts } from './texts.ts';

export interface PersonalDataPanelProps {
  /** where the JSON export downloads from */
  downloadUrl: string;
  erase(lang: Locale): Promise<ErasureResult>;
  /** told once the data is erased */
  onErased?(): void;
}

export function PersonalDataPanel({ downloadUrl, erase: eraseData, onErased }: PersonalDataPanelProps) {
  const { locale } = useLocale();
  const w = legalTexts[locale].data;
  const [step, setStep] = useState<'idle' | 'confirm' | 'busy'>('idle');
  const [understood, setUnderstood] = useState(false);
  const [result, setResult] = useState<ErasureResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const erase = async () => {
    setStep('busy');
    setError(null);
    try {
      setResult(await eraseData(locale));
      setStep('idle');
      onErased?.();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : w.offline);
      setStep('confirm');
    }
  };

  return (
    <section className="panel personal-data" aria-labelledby="personal-data-title" data-testid="personal-data">
      <h3 id="personal-data-title">{w.title}</h3>
      {result ? (
        <div role="status" data-testid="erasure-result">
          <p>
            <strong>{result.alreadyErased ? w.already : w.done(result.orders)}</strong>
          </p>
          <p>{result.erased}</p>
          {result.kept.length > 0 && (
            <>
              <p>{w.kept}</p>
              <dl className="kept-list">
                {result.kept.map((k) => (
                  <div key={k.key} data-kept={k.key}>
                    <dt>{k.what}</dt>
                    <dd>{k.why}</dd>
                    <dd>
                      {w.until} {k.until}
                    </dd>
                  </div>
                ))}
              </dl>
            </>
          )}
        </div>
      ) : (
        <>
          <p>{w.lead}</p>
          <div className="panel-actions">
            <a className="button button-ghost" href={downloadUrl} download>
              {w.download}
            </a>
            {step === 'idle' && (
              <button type="button" className="button button-ghost" onClick={() => setStep('confirm')}>
                {w.erase}
              </button>
            )}
          </div>
          {step !== 'idle' && (
            <div className="erasure-confirm">
              <p>{w.confirmLead}</p>
              <label className="checkbox">
                <input type="checkbox" name="confirmErasure" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
                <span>{w.confirm}</span>
              </label>
              <FormError error={error} />
              <div className="panel-actions">
                <button type="button" className="button button-ghost" onClick={() => setStep('idle')} disabled={step === 'busy'}>
                  {w.cancel}
                </button>
                <button
                  type="button"
                  className="button button-primary"
                  onClick={erase}
                  disabled={!understood || step === 'busy'}
                  aria-busy={step === 'busy' || undefined}
                >
                  {w.confirmButton}
                </button>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}

// The live view of an order: each step done / current / to come, elapsed time and ETA, and what the person can do now (pay, pick another name, visit the site).
import { useEffect, useState } from 'react';
import { useLocale } from '../i18n.ts';
import { ApiError, api, type OrderStatus, type StepView } from '../api.ts';
import { clockTime, duration, money, shortTime } from '../format.ts';
import { useOrderStatus } from './useOrderStatus.ts';
import { useNow } from '../concierge/DeliveryStep.tsx';
import type { ProgressNotice } from '../concierge/ConciergeModal.tsx';
import { SiteContentPanel } from './SiteContentPanel.tsx';
import { SatisfactionPanel } from './SatisfactionPanel.tsx';
import { TrackingRenewalPanel } from './RenewalPanel.tsx';
import { InvoicesPanel } from './InvoicesPanel.tsx';
import { Choice, FormError } from '../ui/Form.tsx';

export function LiveProgress({ token, notice, inModal }: { token: string; notice?: ProgressNotice; inModal?: boolean }) {
  const { t, locale } = useLocale();
  const live = useOrderStatus(token, locale);
  const { status, connection, problem } = live;
  const now = useNow(1000);

  if (problem === 'not_found') return <p className="notice notice-error">{t.progress.notFound}</p>;
  if (!status)
    return (
      <div className="progress-loading" role="status">
        <span className="spinner" aria-hidden="true" /> {problem === 'unavailable' ? t.progress.error : t.progress.loading}
      </div>
    );

  const paid = !!status.paidAt;
  const elapsed =
    status.elapsedSeconds !== null && status.elapsedSeconds !== undefined
      ? status.elapsedSeconds + (status.final || !paid ? 0 : Math.max(0, (now.getTime() - live.receivedAt) / 1000))
      : null;
  const current = status.steps.find((s) => s.state === 'current');
  // a delayed payment (SEPA Debit) on its way reads as such, not as a payment still to make
  const stateLabel = status.payment?.state === 'processing' ? t.progress.paymentProcessing : (t.states[status.state] ?? status.state);
  const trackingPath = `/${locale === 'fr' ? 'suivi' : 'track'}/${token}`;

  return (
    <div className={`progress ${inModal ? 'progress-in-modal' : ''}`}>
      <div className="progress-head">
        <div>
          <p className="progress-domain">{status.domainUnicode}</p>
          <p className="muted small">
            {status.businessName} · {status.tier === 'express' ? t.delivery.express : t.delivery.standard} ·{' '}
            {money(status.price.totalCents, status.price.currency, locale)}
          </p>
        </div>
        <span className={`state-badge state-${status.state}`}>{stateLabel}</span>
      </div>

      <div className="visually-hidden" role="status" aria-live="polite">
        {stateLabel}
        {current ? ` — ${t.stepLabels[current.step] ?? current.step}` : ''}
      </div>

      <StateActions status={status} token={token} notice={notice} refresh={live.refresh} />
      {status.renewal && <TrackingRenewalPanel renewal={status.renewal} token={token} />}
      {paid && (
        <InvoicesPanel
          token={token}
          version={`${status.state}:${status.lastEventId}`}
          withdrawable={!['cancelled', 'refunding', 'refunded'].includes(status.state)}
        />
      )}
      {status.satisfaction && <SatisfactionPanel asked={status.satisfaction} refunded={status.state !== 'delivered'} token={token} />}
      {/* the editor (or an archive) matters before delivery too: what is saved before the deploy is what goes live */}
      {status.editorOpen && status.state !== 'delivered' && <SiteContentPanel status={status} token={token} refresh={live.refresh} />}

      {paid && (
        <dl className="progress-stats">
          <div>
            <dt>{t.progress.elapsed}</dt>
            <dd data-testid="elapsed">{elapsed !== null ? duration(elapsed, locale) : '—'}</dd>
          </div>
          {status.eta && !status.final && (
            <div>
              <dt>{t.progress.eta}</dt>
              <dd>{clockTime(status.eta, locale, now)}</dd>
            </div>
          )}
          {status.deadline.at && (
            <div>
              <dt>{t.progress.deadline}</dt>
              <dd>{clockTime(status.deadline.at, locale, now)}</dd>
            </div>
          )}
        </dl>
      )}

      <section aria-label={t.progress.stepsTitle} className="phase-list">
        <PhaseBlock number={1} title={t.phases.items[0]!.title} done={paid}>
          <li className={`step-item step-${paid ? 'done' : 'current'}`}>
            <StepIcon state={paid ? 'done' : 'current'} />
            <span className="step-label">{t.progress.payment}</span>
            <span className="step-state">{paid ? t.progress.stateDone : t.progress.stateCurrent}</span>
            {status.paidAt && (
              <time className="step-time" dateTime={status.paidAt}>
                {shortTime(status.paidAt, locale)}
              </time>
            )}
          </li>
        </PhaseBlock>
        {[2, 3, 4].map((phase) => {
          const steps = status.steps.filter((s) => s.phase === phase);
          if (!steps.length) return null;
          return (
            <PhaseBlock key={phase} number={phase} title={t.phaseLabels[phase] ?? String(phase)} done={steps.every((s) => s.state === 'done')}>
              {steps.map((s) => (
                <StepRow key={s.step} step={s} />
              ))}
            </PhaseBlock>
          );
        })}
      </section>

      {status.timeline.length > 0 && (
        <details className="timeline">
          <summary>{t.progress.timeline}</summary>
          <ol>
            {status.timeline.map((e, i) => (
              <li key={e.id ?? i}>
                <time dateTime={e.at}>{shortTime(e.at, locale)}</time> {e.message}
              </li>
            ))}
          </ol>
        </details>
      )}

      <div className="progress-foot">
        <span className={`connection connection-${connection}`}>
          <span className="connection-dot" aria-hidden="true" />
          {connection === 'reconnecting' ? t.progress.reconnecting : connection === 'live' ? t.progress.live : ''}
        </span>
        {inModal && (
          <a href={trackingPath} className="small">
            {t.progress.openTracking}
          </a>
        )}
      </div>
    </div>
  );
}

function PhaseBlock({ number, title, done, children }: { number: number; title: string; done: boolean; children: React.ReactNode }) {
  return (
    <div className={`phase-block ${done ? 'phase-done' : ''}`}>
      <h3>
        <span className="phase-number" aria-hidden="true">
          {number}
        </span>
        {title}
      </h3>
      <ol className="steps">{children}</ol>
    </div>
  );
}

function StepRow({ step }: { step: StepView }) {
  const { t, locale } = useLocale();
  const stateText =
    step.state === 'done'
      ? t.progress.stateDone
      : step.state === 'current'
        ? t.progress.stateCurrent
        : step.state === 'failed'
          ? t.progress.stateFailed
          : t.progress.stateTodo;
  return (
    <li className={`step-item step-${step.state}`} data-step={step.step} data-state={step.state} aria-current={step.state === 'current' ? 'step' : undefined}>
      <StepIcon state={step.state} />
      <span className="step-label">{t.stepLabels[step.step] ?? step.step}</span>
      <span className="step-state">{stateText}</span>
      {step.state === 'done' && step.finishedAt && (
        <time className="step-time" dateTime={step.finishedAt}>
          {shortTime(step.finishedAt, locale)}
        </time>
      )}
      {(step.state === 'current' || step.state === 'todo') && step.etaSeconds > 0 && (
        <span className="step-time">{t.progress.about(duration(step.etaSeconds, locale))}</span>
      )}
    </li>
  );
}

function StepIcon({ state }: { state: StepView['state'] }) {
  if (state === 'done')
    return (
      <svg className="step-icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
        <circle cx="10" cy="10" r="9" fill="currentColor" />
        <path d="M6 10.5l2.7 2.7L14.2 7.6" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
    );
  if (state === 'current') return <span className="step-icon spinner" aria-hidden="true" />;
  if (state === 'failed')
    return (
      <svg className="step-icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
        <circle cx="10" cy="10" r="9" fill="currentColor" />
        <path d="M7 7l6 6M13 7l-6 6" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" />
      </svg>
    );
  return (
    <svg className="step-icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
      <circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" strokeWidth="2" />
    </svg>
  );
}

/** What the person can do in this state: pay, ask for a new link, choose another name, visit the site. */
function StateActions({ status, token, notice, refresh }: { status: OrderStatus; token: string; notice?: ProgressNotice; refresh(): void }) {
  const { t } = useLocale();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [chosen, setChosen] = useState(false);
  useEffect(() => setError(null), [status.state]);

  switch (status.state) {
    case 'delivered':
      return (
        <div className="panel panel-success" data-testid="site-live">
          <h3>{t.progress.delivered}</h3>
          <p>{t.progress.deliveredLead}</p>
          {status.siteUrl && <p className="site-url">{status.siteUrl}</p>}
          <p className="panel-actions">
            {status.siteUrl && (
              <a className="button button-primary" href={status.siteUrl} target="_blank" rel="noopener noreferrer">
                {t.progress.visit}
              </a>
            )}
            <a className="button button-ghost" href={status.editorUrl}>
              {t.progress.editor}
            </a>
          </p>
        </div>
      );
    case 'awaiting_payment':
      // paid by a delayed method (SEPA Debit): the bank has not answered yet, nothing to pay, the deadline not started
      if (status.payment?.state === 'processing') {
        return (
          <div className="panel panel-info" data-testid="payment-processing">
            <h3>{t.progress.paymentProcessing}</h3>
            <p>{t.progress.paymentProcessingLead}</p>
          </div>
        );
      }
      return (
        <div className={`panel ${notice === 'cancel' || notice === 'unavailable' ? 'panel-warning' : 'panel-info'}`}>
          <h3>
            {notice === 'cancel'
              ? t.progress.paymentCancelled
              : notice === 'return'
                ? t.progress.paymentReturn
                : notice === 'unavailable'
                  ? t.progress.paymentUnavailable
                  : t.progress.awaitingPayment}
          </h3>
          <p>{t.progress.awaitingPaymentLead}</p>
          {status.paymentUrl && notice !== 'return' && (
            <p className="panel-actions">
              <a className="button button-primary" href={status.paymentUrl}>
                {t.progress.payNow}
              </a>
            </p>
          )}
        </div>
      );
    case 'payment_expired':
      return (
        <div className="panel panel-warning">
          <h3>{t.progress.paymentExpired}</h3>
          <FormError error={error} />
          <p className="panel-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                try {
                  const link = await api.paymentLink(token);
                  window.location.assign(link.paymentUrl);
                } catch (err) {
                  setBusy(false);
                  setError(err instanceof ApiError ? err.message : t.payment.offline);
                }
              }}
            >
              {t.progress.newLink}
            </button>
          </p>
        </div>
      );
    case 'domain_unavailable':
      return (
        <div className="panel panel-warning">
          <h3>{t.progress.domainUnavailable}</h3>
          {chosen ? (
            <p role="status">{t.progress.chosen}</p>
          ) : (
            <form
              onSubmit={async (e) => {
                e.preventDefault();
                if (!picked) return;
                setBusy(true);
                try {
                  await api.chooseDomain(token, picked);
                  setChosen(true);
                  refresh();
                } catch (err) {
                  setError(err instanceof ApiError ? err.message : t.payment.offline);
                } finally {
                  setBusy(false);
                }
              }}
            >
              <p>{t.progress.domainUnavailableLead}</p>
              <fieldset className="alternatives">
                <legend>{t.domain.alternatives}</legend>
                {(status.alternatives ?? []).map((a) => (
                  <Choice key={a.domain} name="alternative" value={a.domain} chosen={picked === a.domain} onChoose={() => setPicked(a.domain)}>
                    <span className="choice-main">{a.domain}</span>
                  </Choice>
                ))}
              </fieldset>
              <FormError error={error} />
              <button type="submit" className="button button-primary" disabled={!picked || busy}>
                {t.progress.chooseThis}
              </button>
            </form>
          )}
        </div>
      );
    case 'refunding':
      return (
        <div className="panel panel-warning">
          <h3>{t.progress.refunding}</h3>
        </div>
      );
    case 'refunded':
      return (
        <div className="panel panel-info">
          <h3>{t.progress.refunded}</h3>
        </div>
      );
    case 'cancelled':
      return (
        <div className="panel panel-info">
          <h3>{t.progress.cancelled}</h3>
        </div>
      );
    default:
      return null;
  }
}

// One order for the operator: summary, steps, timeline, every provider call, the emails, and the actions (each confirmed first).
import { useState } from 'react';
import { useLocale } from '../i18n.ts';
import { ApiError } from '../api.ts';
import { linkHandler } from '../router.ts';
import { dateTime, money, shortTime } from '../format.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { adminApi } from './adminApi.ts';
import { adminTexts } from './texts.ts';
import { useLoad } from './useLoad.ts';

interface PendingAction {
  question: string;
  run(): Promise<unknown>;
}

export function OrderPage({ id }: { id: string }) {
  const { t, locale } = useLocale();
  const a = adminTexts[locale];
  const { data, failed, reload } = useLoad(() => adminApi.order(id, locale), [id, locale]);
  const [pending, setPending] = useState<PendingAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [retryStep, setRetryStep] = useState('');

  const back = (
    <p>
      <a href="/admin" onClick={linkHandler('/admin')}>
        ← {a.order.back}
      </a>
    </p>
  );
  if (failed)
    return (
      <>
        {back}
        <p className="notice notice-error">{a.order.notFound}</p>
      </>
    );
  if (!data)
    return (
      <>
        {back}
        <p className="muted">{a.loading}</p>
      </>
    );

  const { order, status, providerCalls, emails, steps } = data;
  const label = (step: string) => t.stepLabels[step] ?? step;
  const defaultStep = status.steps.find((s) => s.state === 'failed')?.step ?? status.currentStep ?? status.steps[0]?.step ?? '';
  const step = retryStep || defaultStep;
  const canRefund = !['refunded', 'refunding', 'cancelled', 'awaiting_payment', 'payment_expired'].includes(status.state);

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    try {
      await pending.run();
      setResult({ ok: true, message: a.order.done });
    } catch (err) {
      setResult({ ok: false, message: err instanceof ApiError ? err.message : a.failed });
    } finally {
      setBusy(false);
      setPending(null);
      reload();
    }
  };

  return (
    <>
      {back}
      <div className="order-head">
        <div>
          <h1>{status.domainUnicode}</h1>
          <p className="muted">
            {status.businessName} · {String(order.email ?? '')} · <code>{order.id}</code>
          </p>
        </div>
        <span className={`state-badge state-${status.state}`}>{t.states[status.state] ?? status.state}</span>
      </div>

      {result && (
        <p className={`notice ${result.ok ? 'notice-success' : 'notice-error'}`} role="status">
          {result.message}
        </p>
      )}

      <div className="admin-grid">
        <section className="card" aria-labelledby="summary-title">
          <h2 id="summary-title">{a.order.summary}</h2>
          <dl className="kv">
            <dt>{a.orders.tier}</dt>
            <dd>{status.tier === 'express' ? t.delivery.express : t.delivery.standard}</dd>
            <dt>{a.orders.total}</dt>
            <dd>{money(status.price.totalCents, status.price.currency, locale)}</dd>
            <dt>{a.order.paid}</dt>
            <dd>{dateTime(status.paidAt, locale)}</dd>
            <dt>{a.orders.deadline}</dt>
            <dd>{dateTime(status.deadline.at, locale)}</dd>
            <dt>{a.orders.step}</dt>
            <dd>{status.currentStep ? label(status.currentStep) : '—'}</dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="actions-title">
          <h2 id="actions-title">{a.order.actions}</h2>
          <div className="action-row">
            <div className="field">
              <label htmlFor="retry-step">{a.order.retryWhich}</label>
              <select id="retry-step" value={step} onChange={(e) => setRetryStep(e.target.value)}>
                {status.steps.map((s) => (
                  <option key={s.step} value={s.step}>
                    {label(s.step)} ({s.state})
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              className="button button-primary"
              disabled={!step}
              onClick={() => setPending({ question: a.order.confirmRetry(label(step)), run: () => adminApi.retry(order.id, step) })}
            >
              {a.order.retry}
            </button>
          </div>
          <div className="action-row">
            <button
              type="button"
              className="button button-danger"
              disabled={!canRefund}
              onClick={() =>
                setPending({
                  question: a.order.confirmRefund(money(status.price.totalCents, status.price.currency, locale)),
                  run: () => adminApi.refund(order.id),
                })
              }
            >
              {a.order.refund}
            </button>
          </div>
        </section>
      </div>

      <section className="card" aria-labelledby="steps-title">
        <h2 id="steps-title">{a.order.steps}</h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{a.orders.step}</th>
                <th scope="col">{a.orders.state}</th>
                <th scope="col">{a.order.attempts}</th>
                <th scope="col">{a.order.error}</th>
                <th scope="col">{a.order.finished}</th>
              </tr>
            </thead>
            <tbody>
              {status.steps.map((s) => {
                const row = steps.find((r) => r.step === s.step) ?? {};
                return (
                  <tr key={s.step} data-step={s.step}>
                    <th scope="row">{label(s.step)}</th>
                    <td>
                      <span className={`step-pill step-pill-${s.state}`}>{s.state}</span>
                    </td>
                    <td className="num">{row.attempts !== undefined ? String(row.attempts) : '—'}</td>
                    <td className="small">{row.last_error ? String(row.last_error) : row.error_code ? String(row.error_code) : ''}</td>
                    <td>{s.finishedAt ? dateTime(s.finishedAt, locale) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{a.order.timeline}</h2>
        {status.timeline.length === 0 ? (
          <p className="muted">{a.order.none}</p>
        ) : (
          <ol className="admin-timeline">
            {status.timeline.map((e, i) => (
              <li key={e.id ?? i} data-type={e.type}>
                <time dateTime={e.at}>{dateTime(e.at, locale)}</time>
                <code>{e.type}</code>
                <span>{e.message}</span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="card" aria-labelledby="calls-title">
        <h2 id="calls-title">{a.order.calls}</h2>
        {providerCalls.length === 0 ? (
          <p className="muted">{a.order.none}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{a.order.at}</th>
                  <th scope="col">{a.order.provider}</th>
                  <th scope="col">{a.order.operation}</th>
                  <th scope="col">{a.order.outcome}</th>
                  <th scope="col" className="num">
                    {a.order.duration}
                  </th>
                </tr>
              </thead>
              <tbody>
                {providerCalls.map((c, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: calls of one instant and provider differ only by their place in this fixed list
                  <tr key={`${c.at}-${c.provider}-${i}`}>
                    <td>{shortTime(c.at, locale)}</td>
                    <td>{c.provider}</td>
                    <td>
                      <code>{c.operation}</code>
                    </td>
                    <td>
                      <span className={`outcome outcome-${c.outcome}`}>{c.outcome}</span>
                      {c.error_code && <span className="muted small"> {c.error_code}</span>}
                    </td>
                    <td className="num">{c.duration_ms !== null && c.duration_ms !== undefined ? `${c.duration_ms} ms` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="emails-title">
        <h2 id="emails-title">{a.order.emails}</h2>
        {emails.length === 0 ? (
          <p className="muted">{a.order.none}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{a.order.subject}</th>
                  <th scope="col">{a.order.to}</th>
                  <th scope="col">{a.orders.state}</th>
                  <th scope="col">{a.order.sent}</th>
                  <th scope="col">
                    <span className="visually-hidden">{a.order.actions}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {emails.map((m) => (
                  <tr key={m.id}>
                    <td>
                      {m.subject}
                      <span className="muted small block">{m.kind}</span>
                    </td>
                    <td>{m.to_address}</td>
                    <td>{m.state}</td>
                    <td>{dateTime(m.sent_at, locale)}</td>
                    <td>
                      <button
                        type="button"
                        className="button button-ghost button-small"
                        onClick={() => setPending({ question: a.order.confirmResend(m.subject), run: () => adminApi.resendEmail(order.id, m.id) })}
                      >
                        {a.order.resend}
                        <span className="visually-hidden"> {m.subject}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {pending && (
        <Dialog title={pending.question} onClose={() => !busy && setPending(null)} closeLabel={a.order.cancel} alert className="confirm">
          <div className="step-actions">
            <button type="button" className="button button-ghost" onClick={() => setPending(null)} disabled={busy} data-autofocus>
              {a.order.cancel}
            </button>
            <button type="button" className="button button-primary" onClick={confirm} disabled={busy}>
              {a.order.confirm}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

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
import { Card, Table } from './PagedTable.tsx';
import { SatisfactionCard } from './Satisfaction.tsx';
import { HolderCard } from './HolderCard.tsx';
import { RefundCard } from './RefundCard.tsx';

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

  const { order, status, providerCalls, emails, steps, satisfaction, holder } = data;
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
        <RefundCard
          orderId={order.id}
          currency={status.price.currency}
          locale={locale}
          disabled={!canRefund || !status.paidAt}
          ask={(action) => setPending(action)}
        />
      </div>

      <HolderCard holder={holder} />

      <SatisfactionCard answer={satisfaction} locale={locale} />

      <Card id="steps-title" title={a.order.steps}>
        <Table caption={a.order.steps} columns={[a.orders.step, a.orders.state, a.order.attempts, a.order.error, a.order.finished]}>
          {status.steps.map((s) => {
            const row = steps.find((r) => r.step === s.step);
            return (
              <tr key={s.step} data-step={s.step}>
                <th scope="row">{label(s.step)}</th>
                <td>
                  <span className={`step-pill step-pill-${s.state}`}>{s.state}</span>
                </td>
                <td className="num">{row ? String(row.attempts) : '—'}</td>
                <td className="small">{row?.last_error ?? ''}</td>
                <td>{s.finishedAt ? dateTime(s.finishedAt, locale) : '—'}</td>
              </tr>
            );
          })}
        </Table>
      </Card>

      <Card id="timeline-title" title={a.order.timeline} empty={status.timeline.length === 0 && a.order.none}>
        <ol className="admin-timeline">
          {status.timeline.map((e) => (
            <li key={e.id} data-type={e.type}>
              <time dateTime={e.at}>{dateTime(e.at, locale)}</time>
              <code>{e.type}</code>
              <span>{e.message}</span>
            </li>
          ))}
        </ol>
      </Card>

      <Card id="calls-title" title={a.order.calls} empty={providerCalls.length === 0 && a.order.none}>
        <Table
          caption={a.order.calls}
          columns={[a.order.at, a.order.provider, a.order.operation, a.order.outcome, { label: a.order.duration, className: 'num' }]}
        >
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
              <td className="num">{`${c.duration_ms} ms`}</td>
            </tr>
          ))}
        </Table>
      </Card>

      <Card id="emails-title" title={a.order.emails} empty={emails.length === 0 && a.order.none}>
        <Table caption={a.order.emails} columns={[a.order.subject, a.order.to, a.orders.state, a.order.sent, { label: a.order.actions, hidden: true }]}>
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
        </Table>
      </Card>

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

// Alerts: the open ones first, then the most recent (open or resolved), with their rule, severity and times; filtered by rule. Below, the jobs the queue gave up on, to retry or discard.
import { useEffect, useState } from 'react';
import { useLocale, type Locale } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { ApiError } from '../api.ts';
import { linkHandler } from '../router.ts';
import { adminApi, type AdminAlert, type AdminFailedJob } from './adminApi.ts';
import { adminTexts } from './texts.ts';
import { useLoad } from './useLoad.ts';

export function Alerts() {
  const { locale } = useLocale();
  const a = adminTexts[locale];
  const [rule, setRule] = useState('');
  const { data, failed, reload } = useLoad(() => adminApi.alerts(rule || undefined), [rule]);
  useEffect(() => {
    const id = setInterval(reload, 10_000);
    return () => clearInterval(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rule]);
  return (
    <>
      <div className="order-head">
        <h1>{a.alerts.title}</h1>
        <div className="field field-inline">
          <label htmlFor="a-rule">{a.alerts.rule}</label>
          <select id="a-rule" value={rule} onChange={(e) => setRule(e.target.value)}>
            <option value="">{a.alerts.allRules}</option>
            {Object.entries(a.alerts.rules).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {failed && <p className="notice notice-error">{a.failed}</p>}
      {!data && !failed && <p className="muted">{a.loading}</p>}
      {data && (
        <>
          <section aria-labelledby="a-open">
            <h2 id="a-open">
              {a.alerts.open} ({data.open.length})
            </h2>
            {data.open.length === 0 ? <p className="muted">{a.alerts.noneOpen}</p> : <AlertTable alerts={data.open} locale={locale} caption={a.alerts.open} />}
          </section>
          <section aria-labelledby="a-recent">
            <h2 id="a-recent">{a.alerts.recent}</h2>
            {data.recent.length === 0 ? <p className="muted">{a.alerts.noneRecent}</p> : <AlertTable alerts={data.recent} locale={locale} caption={a.alerts.recent} />}
          </section>
        </>
      )}
      <FailedJobs onChange={reload} />
    </>
  );
}

/** The queue's abandoned jobs (retries_exhausted, job:<task>): an operator retries or discards each; both are audit-logged. */
function FailedJobs({ onChange }: { onChange(): void }) {
  const { locale } = useLocale();
  const a = adminTexts[locale].alerts;
  const { data, failed, reload } = useLoad(() => adminApi.failedJobs(), []);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const act = async (job: AdminFailedJob, kind: 'retry' | 'discard') => {
    setBusy(job.id);
    setResult(null);
    try {
      await (kind === 'retry' ? adminApi.retryJob(job.id) : adminApi.discardJob(job.id));
      setResult({ ok: true, message: kind === 'retry' ? a.jobRetried : a.jobDiscarded });
    } catch (err) {
      setResult({ ok: false, message: err instanceof ApiError ? err.message : a.jobActionFailed });
    } finally {
      setBusy(null);
      reload();
      onChange();
    }
  };
  return (
    <section aria-labelledby="a-jobs">
      <h2 id="a-jobs">
        {a.failedJobs} {data ? `(${data.jobs.length})` : ''}
      </h2>
      <p className="muted small">{a.failedJobsHint}</p>
      {result && (
        <p className={`notice ${result.ok ? 'notice-success' : 'notice-error'}`} role="status">
          {result.message}
        </p>
      )}
      {failed && <p className="notice notice-error">{adminTexts[locale].failed}</p>}
      {data && data.jobs.length === 0 && <p className="muted">{a.noFailedJobs}</p>}
      {data && data.jobs.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{a.failedJobs}</caption>
            <thead>
              <tr>
                <th scope="col">{a.task}</th>
                <th scope="col">{a.key}</th>
                <th scope="col" className="num">
                  {a.attempts}
                </th>
                <th scope="col">{a.failedAt}</th>
                <th scope="col">{a.lastError}</th>
                <th scope="col" aria-label={adminTexts[locale].sites.actions} />
              </tr>
            </thead>
            <tbody>
              {data.jobs.map((j) => (
                <tr key={j.id} data-job={j.key ?? j.id}>
                  <th scope="row">{j.task}</th>
                  <td className="wrap">
                    {j.orderId ? (
                      <a href={`/admin/orders/${j.orderId}`} onClick={linkHandler(`/admin/orders/${j.orderId}`)}>
                        {j.key}
                      </a>
                    ) : (
                      j.key ?? '—'
                    )}
                  </td>
                  <td className="num">
                    {j.attempts}/{j.maxAttempts}
                  </td>
                  <td>{dateTime(j.failedAt, locale)}</td>
                  <td className="wrap small">{j.lastError ?? '—'}</td>
                  <td>
                    <div className="action-row">
                      <button type="button" className="button button-primary button-small" disabled={busy !== null} aria-label={a.jobActionLabel(a.retryJob, j.key ?? j.task)} onClick={() => act(j, 'retry')}>
                        {a.retryJob}
                      </button>
                      <button type="button" className="button button-ghost button-small" disabled={busy !== null} aria-label={a.jobActionLabel(a.discardJob, j.key ?? j.task)} onClick={() => act(j, 'discard')}>
                        {a.discardJob}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AlertTable({ alerts, locale, caption }: { alerts: AdminAlert[]; locale: Locale; caption: string }) {
  const a = adminTexts[locale].alerts;
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{a.rule}</th>
            <th scope="col">{a.subject}</th>
            <th scope="col">{a.severity}</th>
            <th scope="col">{a.state}</th>
            <th scope="col">{a.opened}</th>
            <th scope="col">{a.resolved}</th>
            <th scope="col">{a.summary}</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((x) => (
            <tr key={x.id} data-alert={`${x.rule}:${x.subject}`} className={x.state === 'open' ? 'row-risk' : undefined}>
              <th scope="row">{a.rules[x.rule] ?? x.rule}</th>
              <td className="wrap">{x.subject}</td>
              <td>
                <span className={`severity severity-${x.severity}`}>{a.severities[x.severity] ?? x.severity}</span>
              </td>
              <td>{a.states[x.state] ?? x.state}</td>
              <td>
                {dateTime(x.openedAt, locale)}
                {x.state === 'open' && (
                  <span className="muted small block">
                    {a.lastSeen} {dateTime(x.lastSeenAt, locale)}
                  </span>
                )}
              </td>
              <td>{dateTime(x.resolvedAt, locale)}</td>
              <td className="wrap">{x.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

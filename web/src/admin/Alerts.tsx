// Alerts (open ones by default), by state, rule and severity, searched; below, the jobs the queue gave up on, to retry or discard, and the log of what operators did. Each list paged on the server.
import { useState } from 'react';
import { useLocale } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { ApiError } from '../api.ts';
import { linkHandler } from '../router.ts';
import { adminApi, type AdminAlert, type AdminAuditEntry, type AdminFailedJob } from './adminApi.ts';
import { adminTexts } from './texts.ts';
import { PagedTable, Table, options, useFilters } from './PagedTable.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function Alerts() {
  const { locale } = useLocale();
  const a = adminTexts[locale];
  const x = a.alerts;
  const filters = useFilters({ state: 'open' });
  // a job retried or discarded adds a line to the audit log: it is read again
  const [acted, setActed] = useState(0);
  return (
    <>
      <h1>{x.title}</h1>
      <PagedTable<AdminAlert>
        id="a"
        texts={x}
        filters={[
          {
            name: 'state',
            label: x.state,
            all: x.allStates,
            options: [
              { value: 'open', label: x.open },
              { value: 'resolved', label: x.resolvedMany },
            ],
          },
          { name: 'rule', label: x.rule, all: x.allRules, options: options(x.rules) },
          { name: 'severity', label: x.severity, all: x.allSeverities, options: options(x.severities) },
        ]}
        state={filters}
        load={adminApi.alerts}
        refreshMs={10_000}
      >
        {(alerts) => <AlertTable alerts={alerts} />}
      </PagedTable>
      <FailedJobs onChange={() => setActed((n) => n + 1)} />
      <Audit acted={acted} />
    </>
  );
}

function AlertTable({ alerts }: { alerts: AdminAlert[] }) {
  const { locale } = useLocale();
  const a = adminTexts[locale].alerts;
  return (
    <Table caption={a.title} columns={[a.rule, a.subject, a.severity, a.state, a.opened, a.resolved, a.summary]}>
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
    </Table>
  );
}

/** The queue's abandoned jobs (retries_exhausted, job:<task>): an operator retries or discards each; both are audit-logged. */
function FailedJobs({ onChange }: { onChange(): void }) {
  const { locale } = useLocale();
  const a = adminTexts[locale].alerts;
  const filters = useFilters();
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const act = async (job: AdminFailedJob, kind: 'retry' | 'discard', reload: () => void) => {
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
    <section className="admin-section" aria-labelledby="a-jobs">
      <h2 id="a-jobs">{a.failedJobs}</h2>
      <p className="muted small">{a.failedJobsHint}</p>
      {result && (
        <p className={`notice ${result.ok ? 'notice-success' : 'notice-error'}`} role="status">
          {result.message}
        </p>
      )}
      <PagedTable<AdminFailedJob>
        id="j"
        texts={{ title: a.failedJobs, search: a.jobsSearch, searchHint: a.jobsSearchHint, count: a.jobsCount }}
        formClass="filters-one"
        state={filters}
        load={adminApi.failedJobs}
      >
        {(jobs, reload) => (
          <Table
            caption={a.failedJobs}
            columns={[
              a.task,
              a.key,
              { label: a.attempts, className: 'num' },
              a.failedAt,
              a.lastError,
              { label: adminTexts[locale].sites.actions, hidden: true },
            ]}
          >
            {jobs.map((j) => (
              <tr key={j.id} data-job={j.key ?? j.id}>
                <th scope="row">{j.task}</th>
                <td className="wrap">
                  {j.orderId ? (
                    <a href={`/admin/orders/${j.orderId}`} onClick={linkHandler(`/admin/orders/${j.orderId}`)}>
                      {j.key}
                    </a>
                  ) : (
                    (j.key ?? '—')
                  )}
                </td>
                <td className="num">
                  {j.attempts}/{j.maxAttempts}
                </td>
                <td>{dateTime(j.failedAt, locale)}</td>
                <td className="wrap small">{j.lastError ?? '—'}</td>
                <td>
                  <div className="action-row">
                    {(['retry', 'discard'] as const).map((kind) => {
                      const label = kind === 'retry' ? a.retryJob : a.discardJob;
                      return (
                        <button
                          key={kind}
                          type="button"
                          className={`button button-small ${kind === 'retry' ? 'button-primary' : 'button-ghost'}`}
                          disabled={busy !== null}
                          aria-label={a.jobActionLabel(label, j.key ?? j.task)}
                          onClick={() => act(j, kind, reload)}
                        >
                          {label}
                        </button>
                      );
                    })}
                  </div>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </PagedTable>
    </section>
  );
}

/** What operators did outside orders' timelines: by action and actor, searched by target (a monitor's target is its order). */
function Audit({ acted }: { acted: number }) {
  const { locale } = useLocale();
  const a = adminTexts[locale].audit;
  const filters = useFilters();
  return (
    <section className="admin-section" aria-labelledby="a-audit">
      <h2 id="a-audit">{a.title}</h2>
      <p className="muted small">{a.hint}</p>
      <PagedTable<AdminAuditEntry>
        id="l"
        texts={a}
        filters={[
          { name: 'action', label: a.action, all: a.all, options: options(a.actions) },
          { name: 'actor', label: a.actor, all: a.allActors, options: options(a.actors) },
        ]}
        state={filters}
        load={adminApi.audit}
        refreshKey={acted}
      >
        {(entries) => (
          <Table caption={a.title} columns={[a.at, a.action, a.target, a.actor]}>
            {entries.map((e) => (
              <tr key={e.id} data-audit={e.action}>
                <td>{dateTime(e.at, locale)}</td>
                <th scope="row">{a.actions[e.action] ?? e.action}</th>
                <td className="wrap">
                  {UUID.test(e.target) ? (
                    <a href={`/admin/orders/${e.target}`} onClick={linkHandler(`/admin/orders/${e.target}`)}>
                      {e.target}
                    </a>
                  ) : (
                    e.target
                  )}
                </td>
                <td>{e.actor ? (a.actors[e.actor] ?? e.actor) : a.unknownActor}</td>
              </tr>
            ))}
          </Table>
        )}
      </PagedTable>
    </section>
  );
}

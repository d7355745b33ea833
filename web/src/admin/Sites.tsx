// Watched sites: each delivered site's last check, response time, certificate and domain expiry, and open incident; down ones first; by status, searched, paged on the server.
import { useState } from 'react';
import { useLocale } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { linkHandler } from '../router.ts';
import { ApiError, type Covers } from '../api.ts';
import type { MonitorStatus } from '@contract/admin.ts';
import { adminApi, type AdminMonitor } from './adminApi.ts';
import { adminTexts } from './texts.ts';
import { PagedTable, Table, useFilters } from './PagedTable.tsx';

const STATUSES = ['up', 'failing', 'down', 'unchecked', 'stopped'] as const satisfies readonly MonitorStatus[];
true satisfies Covers<typeof STATUSES, MonitorStatus>;

/** Whole days from now to `iso` (negative once past). */
function daysLeft(iso: string, now = Date.now()): number {
  return Math.floor((new Date(iso).getTime() - now) / 86_400_000);
}

export function Sites() {
  const { locale } = useLocale();
  const a = adminTexts[locale];
  const s = a.sites;
  const filters = useFilters();
  const expiry = (iso: string | null) => (iso ? `${dateTime(iso, locale)} · ${s.daysLeft(daysLeft(iso))}` : s.none);
  const statusLabel = (k: string) => (k === 'stopped' ? s.stopped : (a.overview.siteStatus[k] ?? k));
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // pausing and resuming are audit-logged operator actions (session + CSRF, like the order actions)
  const toggle = async (m: AdminMonitor, reload: () => void) => {
    setBusy(m.orderId);
    setProblem(null);
    try {
      await (m.status === 'stopped' ? adminApi.resumeMonitor(m.orderId) : adminApi.pauseMonitor(m.orderId));
    } catch (err) {
      setProblem(err instanceof ApiError ? err.message : s.actionFailed);
    } finally {
      setBusy(null);
      reload();
    }
  };

  return (
    <>
      <h1>{s.title}</h1>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      <PagedTable<AdminMonitor>
        id="s"
        texts={s}
        filters={[{ name: 'status', label: s.status, all: s.all, options: STATUSES.map((k) => ({ value: k, label: statusLabel(k) })) }]}
        formClass="filters-two"
        state={filters}
        load={adminApi.monitors}
        refreshMs={15_000}
      >
        {(monitors, reload) => (
          <Table
            caption={s.title}
            columns={[
              s.site,
              s.status,
              s.lastCheck,
              { label: s.latency, className: 'num' },
              s.certificate,
              s.domain,
              s.incident,
              { label: s.actions, hidden: true },
            ]}
          >
            {monitors.map((m) => (
              <tr key={m.orderId} data-site={m.domain} className={m.status === 'down' || m.status === 'failing' ? 'row-risk' : undefined}>
                <th scope="row">
                  <a href={`/admin/orders/${m.orderId}`} onClick={linkHandler(`/admin/orders/${m.orderId}`)}>
                    {m.domain}
                  </a>
                  <span className="muted small block">{m.businessName}</span>
                </th>
                <td>
                  <span className={`site-status site-${m.status}`}>{statusLabel(m.status)}</span>
                  {m.status === 'stopped' && m.stoppedReason && (
                    <span className="muted small block">{s.stoppedReasons[m.stoppedReason] ?? m.stoppedReason}</span>
                  )}
                  {m.status !== 'stopped' && m.lastError && <span className="muted small block wrap">{m.lastError}</span>}
                </td>
                <td>
                  {dateTime(m.lastCheckedAt, locale)}
                  {m.lastHttpStatus !== null && <span className="muted small block">HTTP {m.lastHttpStatus}</span>}
                </td>
                <td className="num">{m.lastLatencyMs !== null ? `${m.lastLatencyMs} ms` : s.none}</td>
                <td>{expiry(m.certificateExpiresAt)}</td>
                <td>{expiry(m.domainExpiresAt)}</td>
                <td>
                  {m.incident ? (
                    <>
                      {s.since(dateTime(m.incident.since, locale))}
                      {m.incident.customerNotifiedAt && <span className="muted small block">{s.customerTold}</span>}
                    </>
                  ) : (
                    s.none
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    disabled={busy !== null}
                    aria-label={`${m.status === 'stopped' ? s.resume : s.pause} ${m.domain}`}
                    onClick={() => toggle(m, reload)}
                  >
                    {m.status === 'stopped' ? s.resume : s.pause}
                  </button>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </PagedTable>
    </>
  );
}

// The daily report: the latest by default, a day at a time with previous / next or a date; "no report that day" is an answer, not an error.
import { useState } from 'react';
import { useLocale } from '../i18n.ts';
import { dateTime, duration } from '../format.ts';
import { adminApi } from './adminApi.ts';
import { adminTexts } from './texts.ts';
import { useLoad } from './useLoad.ts';
import { OrderFigureList, Stat } from './figures.tsx';

/** YYYY-MM-DD plus `n` days (calendar days: the report's days are dates, not 24-hour spans). */
function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function Reports() {
  const { locale } = useLocale();
  const a = adminTexts[locale];
  const r = a.reports;
  // undefined: the latest one; the daily report's email links here with ?date=
  const [day, setDay] = useState<string | undefined>(() => new URLSearchParams(window.location.search).get('date') ?? undefined);
  const { data, failed } = useLoad(() => adminApi.dailyReport(day), [day]);
  const shown = data?.day ?? day;

  return (
    <>
      <h1>{r.title}</h1>
      <div className="action-row">
        <button type="button" className="button button-ghost button-small" disabled={!shown} onClick={() => shown && setDay(addDays(shown, -1))}>
          ← {r.previous}
        </button>
        <button type="button" className="button button-ghost button-small" disabled={!shown} onClick={() => shown && setDay(addDays(shown, 1))}>
          {r.next} →
        </button>
        <div className="field field-inline">
          <label htmlFor="r-day">{r.day}</label>
          <input id="r-day" type="date" value={shown ?? ''} onChange={(e) => e.target.value && setDay(e.target.value)} />
        </div>
        <button type="button" className="button button-ghost button-small" onClick={() => setDay(undefined)}>
          {r.latest}
        </button>
      </div>
      {failed && <p className="notice notice-error">{a.failed}</p>}
      {data === null && (
        <p className="notice" role="status">
          {day ? r.none(day) : r.noneYet}
        </p>
      )}
      {data && (
        <article aria-labelledby="r-title" data-report-day={data.day}>
          <section className="card">
            <h2 id="r-title">{r.of(data.day, data.timeZone)}</h2>
            <p className="muted small">{r.made(dateTime(data.createdAt, locale))}</p>
            <OrderFigureList f={data.report} locale={locale} />
          </section>
          <section className="card" aria-labelledby="r-incidents">
            <h2 id="r-incidents">{r.incidents}</h2>
            <dl className="stats stats-small">
              <Stat id="incidents-opened" label={r.incidentsOpened} value={String(data.report.incidents.opened)} />
              <Stat id="incidents-closed" label={r.incidentsClosed} value={String(data.report.incidents.closed)} />
              <Stat id="downtime" label={r.downtime} value={duration(data.report.incidents.downtimeSeconds, locale)} />
              <Stat id="alerts-opened" label={r.alertsOpened} value={String(data.report.alerts.opened)} />
            </dl>
            {data.report.incidents.sites.length > 0 && <p className="small wrap">{data.report.incidents.sites.join(', ')}</p>}
            {Object.keys(data.report.alerts.byRule).length > 0 && (
              <p className="small">
                {r.byRule}{' '}
                {Object.entries(data.report.alerts.byRule)
                  .map(([rule, n]) => `${a.alerts.rules[rule] ?? rule} ${n}`)
                  .join(', ')}
              </p>
            )}
          </section>
        </article>
      )}
    </>
  );
}

// The daily report: the latest finished day by default (today so far on a new installation), a day at a time with previous / next or a date.
import { useState } from 'react';
import { useLocale } from '../i18n.ts';
import { dateTime, duration } from '../format.ts';
import { adminApi } from './adminApi.ts';
import { adminTexts } from './texts.ts';
import { useLoad } from './useLoad.ts';
import { Counts, OrderFigureList } from './figures.tsx';
import { SatisfactionFigureList } from './Satisfaction.tsx';
import { satisfactionTexts } from './satisfactionTexts.ts';

/** YYYY-MM-DD plus `n` days (calendar days: the report's days are dates, not 24-hour spans). */
function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** "14:32" on the report's own clock (its time zone, not the browser's). */
function clock(iso: string, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

export function Reports() {
  const { locale } = useLocale();
  const a = adminTexts[locale];
  const r = a.reports;
  // undefined: the latest day (the server decides which); the daily report's email links here with ?date=
  const [day, setDay] = useState<string | undefined>(() => new URLSearchParams(window.location.search).get('date') ?? undefined);
  const { data: loaded, failed } = useLoad(() => adminApi.dailyReport(day), [day]);
  const future = loaded === 'future';
  const data = future ? null : loaded;
  const shown = data?.day ?? day;

  return (
    <>
      <h1>{r.title}</h1>
      <div className="action-row">
        <button type="button" className="button button-ghost button-small" disabled={!shown} onClick={() => shown && setDay(addDays(shown, -1))}>
          ← {r.previous}
        </button>
        {/* today's report is the last there is: the day after has not come */}
        <button
          type="button"
          className="button button-ghost button-small"
          disabled={!shown || !!data?.partial}
          onClick={() => shown && setDay(addDays(shown, 1))}
        >
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
      {future && day && (
        <p className="notice" role="status">
          {r.future(day)}
        </p>
      )}
      {data && (
        <article aria-labelledby="r-title" data-report-day={data.day} data-report-kind={data.partial ? 'partial' : data.stored ? 'stored' : 'empty'}>
          <section className="card">
            <h2 id="r-title">{r.of(data.day, data.timeZone)}</h2>
            {data.partial && (
              <p className="notice" role="status">
                {r.partial(clock(data.period.from, data.timeZone, locale), clock(data.period.to, data.timeZone, locale))}
              </p>
            )}
            {data.beforeFirstOrder && !data.stored && (
              <p className="notice" role="status">
                {r.beforeFirstOrder}
              </p>
            )}
            <p className="muted small">{r.made(dateTime(data.createdAt, locale))}</p>
            <OrderFigureList f={data.report} locale={locale} />
          </section>
          {/* reports stored before satisfaction was measured have none */}
          {data.report.satisfaction && (
            <section className="card" aria-labelledby="r-satisfaction">
              <h2 id="r-satisfaction">{satisfactionTexts[locale].title}</h2>
              <SatisfactionFigureList s={data.report.satisfaction} locale={locale} />
            </section>
          )}
          <section className="card" aria-labelledby="r-incidents">
            <h2 id="r-incidents">{r.incidents}</h2>
            <Counts
              figures={[
                ['incidents-opened', r.incidentsOpened, data.report.incidents.opened],
                ['incidents-closed', r.incidentsClosed, data.report.incidents.closed],
                ['downtime', r.downtime, duration(data.report.incidents.downtimeSeconds, locale)],
                ['alerts-opened', r.alertsOpened, data.report.alerts.opened],
              ]}
            />
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

// The console's overview: what is in flight now, and the business's figures over a chosen window, refreshed live.
import { useEffect, useState } from 'react';
import { useLocale } from '../i18n.ts';
import { linkHandler } from '../router.ts';
import { adminApi } from './adminApi.ts';
import { adminTexts } from './texts.ts';
import { useLoad } from './useLoad.ts';
import { Counts, OrderFigureList, figuresOf } from './figures.tsx';
import { SatisfactionFigureList } from './Satisfaction.tsx';
import { satisfactionTexts } from './satisfactionTexts.ts';
import { RenewalsCard } from './Renewals.tsx';

const WINDOWS = ['15m', '1h', '24h', '7d', '30d'];
/** live, without hammering PostgreSQL: the figures are aggregates over the whole window */
const REFRESH_MS = 5_000;

export function Overview() {
  const { locale } = useLocale();
  const a = adminTexts[locale];
  const o = a.overview;
  const [window, setWindow] = useState('24h');
  // the figures on screen stay while the next ones load: no flicker every five seconds
  const { data, failed, reload } = useLoad(() => adminApi.metrics(window), [window]);
  useEffect(() => {
    const id = setInterval(reload, REFRESH_MS);
    return () => clearInterval(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [window]);

  return (
    <>
      <div className="order-head">
        <h1>{o.title}</h1>
        <div className="field field-inline">
          <label htmlFor="o-window">{o.window}</label>
          <select id="o-window" value={window} onChange={(e) => setWindow(e.target.value)}>
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                {o.windows[w]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="muted small">{o.live}</p>
      {failed && <p className="notice notice-error">{a.failed}</p>}
      {!data && !failed && <p className="muted">{a.loading}</p>}
      {data && (
        <div aria-live="polite" aria-busy={data.window !== window}>
          <section className="card" aria-labelledby="o-now">
            <h2 id="o-now">{o.now}</h2>
            <Counts figures={figuresOf(['inFlight', 'atRisk', 'overdue', 'openAlerts'], o, data)} />
            <p className="small">
              <a href="/admin/alerts" onClick={linkHandler('/admin/alerts')}>
                {a.nav.alerts}
              </a>{' '}
              ·{' '}
              <a href="/admin?atRisk=true" onClick={linkHandler('/admin?atRisk=true')}>
                {o.atRiskOrders}
              </a>
            </p>
          </section>
          <section className="card" aria-labelledby="o-period">
            <h2 id="o-period">
              {o.period} — {o.windows[data.window] ?? data.window}
            </h2>
            <OrderFigureList f={data} locale={locale} />
          </section>
          <section className="card" aria-labelledby="o-satisfaction">
            <h2 id="o-satisfaction">
              {satisfactionTexts[locale].title} — {o.windows[data.window] ?? data.window}
            </h2>
            <SatisfactionFigureList s={data.satisfaction} locale={locale} />
          </section>
          <RenewalsCard />
          <section className="card" aria-labelledby="o-sites">
            <h2 id="o-sites">{o.sites}</h2>
            <Counts figures={figuresOf(['up', 'failing', 'down', 'unchecked'], o.siteStatus, data.sites, 'sites-')} />
            <p className="small">
              <a href="/admin/sites" onClick={linkHandler('/admin/sites')}>
                {a.nav.sites}
              </a>
            </p>
          </section>
        </div>
      )}
    </>
  );
}

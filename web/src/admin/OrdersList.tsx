// The orders, newest first, filtered by state, tier and deadline at risk, and searched by domain, business or email.
import { useEffect, useState } from 'react';
import { useLocale } from '../i18n.ts';
import { linkHandler } from '../router.ts';
import { dateTime, money } from '../format.ts';
import { adminApi } from './adminApi.ts';
import { adminTexts } from './texts.ts';
import { useLoad } from './useLoad.ts';

const STATES = [
  'awaiting_payment',
  'payment_expired',
  'paid',
  'registering_domain',
  'domain_unavailable',
  'creating_site',
  'deploying',
  'configuring_dns',
  'securing',
  'verifying',
  'delivered',
  'refunding',
  'refunded',
  'cancelled',
];

export function OrdersList() {
  const { t, locale } = useLocale();
  const a = adminTexts[locale];
  const [state, setState] = useState('');
  const [tier, setTier] = useState('');
  const [atRisk, setAtRisk] = useState(false);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const id = setTimeout(() => setQ(search.trim()), 300);
    return () => clearTimeout(id);
  }, [search]);
  const { data, failed, reload } = useLoad(() => adminApi.orders({ state, tier, atRisk, q }), [state, tier, atRisk, q]);

  return (
    <>
      <h1>{a.orders.title}</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="f-search">{a.orders.search}</label>
          <input id="f-search" type="search" placeholder={a.orders.searchHint} value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="f-state">{a.orders.state}</label>
          <select id="f-state" value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">{a.orders.all}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t.states[s] ?? s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-tier">{a.orders.tier}</label>
          <select id="f-tier" value={tier} onChange={(e) => setTier(e.target.value)}>
            <option value="">{a.orders.all}</option>
            <option value="express">{t.delivery.express}</option>
            <option value="standard">{t.delivery.standard}</option>
          </select>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={atRisk} onChange={(e) => setAtRisk(e.target.checked)} />
          {a.orders.atRisk}
        </label>
      </form>
      {failed && (
        <p className="notice notice-error">
          {a.failed}{' '}
          <button type="button" className="button button-ghost button-small" onClick={reload}>
            {a.retryLoad}
          </button>
        </p>
      )}
      {data && (
        <>
          <p className="muted" role="status">
            {a.orders.count(data.orders.length)}
          </p>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{a.orders.domain}</th>
                  <th scope="col">{a.orders.business}</th>
                  <th scope="col">{a.orders.tier}</th>
                  <th scope="col">{a.orders.state}</th>
                  <th scope="col">{a.orders.total}</th>
                  <th scope="col">{a.orders.created}</th>
                  <th scope="col">{a.orders.deadline}</th>
                </tr>
              </thead>
              <tbody>
                {data.orders.map((o) => (
                  <tr key={o.id} className={o.at_risk ? 'row-risk' : undefined}>
                    <th scope="row">
                      <a href={`/admin/orders/${o.id}`} onClick={linkHandler(`/admin/orders/${o.id}`)}>
                        {o.domain}
                      </a>
                    </th>
                    <td>
                      {o.business_name}
                      <br />
                      <span className="muted small">{o.email}</span>
                    </td>
                    <td>{o.tier === 'express' ? t.delivery.express : t.delivery.standard}</td>
                    <td>
                      <span className={`state-badge state-${o.state}`}>{t.states[o.state] ?? o.state}</span>
                      {o.current_step && <span className="muted small block">{t.stepLabels[o.current_step] ?? o.current_step}</span>}
                    </td>
                    <td className="num">{money(Number(o.total_cents), o.currency, locale)}</td>
                    <td>{dateTime(o.created_at, locale)}</td>
                    <td>
                      {dateTime(o.deadline_at, locale)}
                      {o.at_risk && <span className="badge badge-risk">{a.orders.risk}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {!data && !failed && <p className="muted">{a.loading}</p>}
    </>
  );
}

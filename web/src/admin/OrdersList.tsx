// The orders, newest first, filtered by state, tier and deadline at risk, and searched by domain, business or email.
// The filters live in the address (?state=&tier=&atRisk=true&q=), so a filtered list can be linked to, reloaded and shared.
import { useEffect, useState } from 'react';
import { useLocale } from '../i18n.ts';
import { linkHandler, navigate, useLocation } from '../router.ts';
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
  const { query } = useLocation();
  const state = STATES.includes(query.get('state') ?? '') ? query.get('state')! : '';
  const tier = ['express', 'standard'].includes(query.get('tier') ?? '') ? query.get('tier')! : '';
  const atRisk = query.get('atRisk') === 'true';
  const q = query.get('q')?.trim() ?? '';
  const setFilter = (name: 'state' | 'tier' | 'atRisk' | 'q', value: string) => {
    const next = new URLSearchParams(window.location.search);
    if (value) next.set(name, value);
    else next.delete(name);
    const qs = next.toString();
    navigate(`/admin${qs ? `?${qs}` : ''}`, { replace: true });
  };
  const [search, setSearch] = useState(q);
  // A link that changes the address (the overview's "at risk", the nav's "orders") resets the box to what the address says.
  useEffect(() => setSearch((s) => (s.trim() === q ? s : q)), [q]);
  useEffect(() => {
    const typed = search.trim();
    if (typed === q) return;
    const id = setTimeout(() => setFilter('q', typed), 300);
    return () => clearTimeout(id);
  }, [search, q]);
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
          <select id="f-state" value={state} onChange={(e) => setFilter('state', e.target.value)}>
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
          <select id="f-tier" value={tier} onChange={(e) => setFilter('tier', e.target.value)}>
            <option value="">{a.orders.all}</option>
            <option value="express">{t.delivery.express}</option>
            <option value="standard">{t.delivery.standard}</option>
          </select>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={atRisk} onChange={(e) => setFilter('atRisk', e.target.checked ? 'true' : '')} />
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

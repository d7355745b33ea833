// The orders, newest first, filtered by state, tier, payment provider, creation date and deadline at risk, and searched by domain, business, email or id; paged on the server.
// The filters live in the address (?state=&tier=&provider=&from=&to=&atRisk=true&q=), so a filtered list can be linked to, reloaded and shared.
import { useLocale } from '../i18n.ts';
import { linkHandler, navigate, useLocation } from '../router.ts';
import { dateTime, money } from '../format.ts';
import type { Covers, OrderState, PaymentProvider } from '../api.ts';
import { adminApi, type AdminOrderRow } from './adminApi.ts';
import { adminTexts } from './texts.ts';
import { PagedTable, Table } from './PagedTable.tsx';

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
] as const satisfies readonly OrderState[];
true satisfies Covers<typeof STATES, OrderState>;
const PROVIDERS = ['stripe', 'paypal'] as const satisfies readonly PaymentProvider[];
true satisfies Covers<typeof PROVIDERS, PaymentProvider>;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The start of a day in the operator's own time zone, as an instant; `next` the start of the day after (the "until" day is included). */
function dayStart(day: string, next = false): string | undefined {
  if (!DAY.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  if (next) d.setDate(d.getDate() + 1);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function OrdersList() {
  const { t, locale } = useLocale();
  const a = adminTexts[locale];
  const { query } = useLocation();
  const pick = (name: string, allowed?: readonly string[], test?: RegExp) => {
    const v = query.get(name)?.trim() ?? '';
    return (allowed ? allowed.includes(v) : !test || test.test(v)) ? v : '';
  };
  const values = {
    q: pick('q'),
    state: pick('state', STATES),
    tier: pick('tier', ['express', 'standard']),
    provider: pick('provider', PROVIDERS),
    from: pick('from', undefined, DAY),
    to: pick('to', undefined, DAY),
    atRisk: query.get('atRisk') === 'true' ? 'true' : '',
  };
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(window.location.search);
    if (value) next.set(name, value);
    else next.delete(name);
    const qs = next.toString();
    navigate(`/admin${qs ? `?${qs}` : ''}`, { replace: true });
  };
  const dateField = (name: 'from' | 'to', label: string) => (
    <div className="field">
      <label htmlFor={`o-${name}`}>{label}</label>
      <input id={`o-${name}`} type="date" value={values[name]} onChange={(e) => setFilter(name, e.target.value)} />
    </div>
  );

  return (
    <>
      <h1>{a.orders.title}</h1>
      <PagedTable<AdminOrderRow>
        id="o"
        texts={a.orders}
        filters={[
          { name: 'state', label: a.orders.state, all: a.orders.all, options: STATES.map((s) => ({ value: s, label: t.states[s] ?? s })) },
          {
            name: 'tier',
            label: a.orders.tier,
            all: a.orders.all,
            options: [
              { value: 'express', label: t.delivery.express },
              { value: 'standard', label: t.delivery.standard },
            ],
          },
          {
            name: 'provider',
            label: a.orders.provider,
            all: a.orders.all,
            options: PROVIDERS.map((p) => ({ value: p, label: p === 'paypal' ? 'PayPal' : 'Stripe' })),
          },
        ]}
        extra={
          <>
            {dateField('from', a.orders.createdFrom)}
            {dateField('to', a.orders.createdTo)}
            <label className="checkbox">
              <input type="checkbox" checked={values.atRisk === 'true'} onChange={(e) => setFilter('atRisk', e.target.checked ? 'true' : '')} />
              {a.orders.atRisk}
            </label>
          </>
        }
        state={[values, setFilter]}
        load={({ from, to, ...rest }) => adminApi.orders({ ...rest, createdFrom: from && dayStart(from), createdTo: to && dayStart(to, true) })}
      >
        {(orders) => (
          <Table
            caption={a.orders.title}
            columns={[a.orders.domain, a.orders.business, a.orders.tier, a.orders.state, a.orders.total, a.orders.created, a.orders.deadline]}
          >
            {orders.map((o) => (
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
          </Table>
        )}
      </PagedTable>
    </>
  );
}

// The providers' health: circuit state, calls, error rate and median duration, refreshed every few seconds.
import { useEffect } from 'react';
import { useLocale } from '../i18n.ts';
import { adminApi } from './adminApi.ts';
import { adminTexts } from './texts.ts';
import { useLoad } from './useLoad.ts';
import { Table } from './PagedTable.tsx';

export function Providers() {
  const { locale } = useLocale();
  const a = adminTexts[locale];
  const { data, failed, reload } = useLoad(() => adminApi.providers(), []);
  useEffect(() => {
    const id = setInterval(reload, 10_000);
    return () => clearInterval(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const pct = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 });
  return (
    <>
      <h1>{a.providers.title}</h1>
      {failed && <p className="notice notice-error">{a.failed}</p>}
      {!data && !failed && <p className="muted">{a.loading}</p>}
      {data && data.providers.length === 0 && <p className="muted">{a.providers.empty}</p>}
      {data && data.providers.length > 0 && (
        <Table
          caption={a.providers.title}
          columns={[
            a.order.provider,
            a.providers.circuit,
            ...[a.providers.calls, a.providers.errors, a.providers.errorRate, a.providers.p50].map((label) => ({ label, className: 'num' })),
          ]}
        >
          {data.providers.map((p) => (
            <tr key={p.provider}>
              <th scope="row">{p.provider}</th>
              <td>
                <span className={`circuit circuit-${p.circuit}`}>{a.providers.circuits[p.circuit] ?? p.circuit}</span>
              </td>
              <td className="num">{p.calls}</td>
              <td className="num">{p.errors}</td>
              <td className="num">{pct.format(p.errorRate)}</td>
              <td className="num">{p.p50Ms !== null ? `${Math.round(p.p50Ms)} ms` : '—'}</td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}

// Invoices and credit notes: the list (by kind and period, searched by number, customer, email or order), the period's
// totals per VAT rate, and its CSV and FEC exports for the accountant.
import { useEffect, useState } from 'react';
import { useLocale } from '../i18n.ts';
import { dateTime, money } from '../format.ts';
import { adminApi, type AdminDocument, type VatTotals } from './adminApi.ts';
import { PagedTable, options, useFilters } from './PagedTable.tsx';

const words = {
  fr: {
    title: 'Factures et avoirs',
    search: 'Rechercher',
    searchHint: 'Numéro, client, e-mail ou commande',
    count: (n: number, exact: boolean) => (n === 0 ? 'Aucun document' : `${exact ? '' : 'plus de '}${n} document${n > 1 ? 's' : ''}`),
    kind: 'Type',
    all: 'Tous',
    kinds: { invoice: 'Facture', credit_note: 'Avoir' } as Record<string, string>,
    from: 'Du',
    to: 'Au',
    head: ['N°', 'Type', 'Émis le', 'Client', 'Cas de TVA', 'HT', 'TVA', 'TTC'],
    totals: 'Totaux par taux de TVA',
    totalsHead: ['Taux', 'Cas', 'Factures', 'Base HT', 'TVA', 'Avoirs', 'Base HT', 'TVA'],
    net: 'Net (factures moins avoirs)',
    exports: 'Exporter la période',
    csv: 'CSV',
    fec: 'FEC (fichier des écritures comptables)',
    of: 'sur',
  },
  en: {
    title: 'Invoices and credit notes',
    search: 'Search',
    searchHint: 'Number, customer, email or order',
    count: (n: number, exact: boolean) => (n === 0 ? 'No documents' : `${exact ? '' : 'more than '}${n} document${n > 1 ? 's' : ''}`),
    kind: 'Kind',
    all: 'All',
    kinds: { invoice: 'Invoice', credit_note: 'Credit note' } as Record<string, string>,
    from: 'From',
    to: 'To',
    head: ['No.', 'Kind', 'Issued', 'Customer', 'VAT case', 'Excl. VAT', 'VAT', 'Incl. VAT'],
    totals: 'Totals per VAT rate',
    totalsHead: ['Rate', 'Case', 'Invoices', 'Base', 'VAT', 'Credit notes', 'Base', 'VAT'],
    net: 'Net (invoices less credit notes)',
    exports: 'Export the period',
    csv: 'CSV',
    fec: 'FEC (French accounting entries file)',
    of: 'of',
  },
} as const;

const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
const monthStart = () => `${today().slice(0, 8)}01`;

export function Invoices() {
  const { locale } = useLocale();
  const w = words[locale];
  const filters = useFilters();
  const [values, onChange] = filters;
  const from = values.from || monthStart();
  const to = values.to || today();
  const [totals, setTotals] = useState<VatTotals | null>(null);
  useEffect(() => {
    adminApi.invoiceTotals(from, to).then(setTotals, () => setTotals(null));
  }, [from, to]);
  const period = `from=${from}&to=${to}`;
  return (
    <>
      <h1>{w.title}</h1>
      <PagedTable<AdminDocument>
        id="inv"
        texts={w}
        filters={[{ name: 'kind', label: w.kind, all: w.all, options: options(w.kinds) }]}
        state={filters}
        extra={
          <>
            <label>
              {w.from} <input type="date" value={from} onChange={(e) => onChange('from', e.target.value)} />
            </label>
            <label>
              {w.to} <input type="date" value={to} onChange={(e) => onChange('to', e.target.value)} />
            </label>
          </>
        }
        load={(p) => adminApi.invoices({ ...p, from, to })}
      >
        {(docs) => (
          <table className="table">
            <thead>
              <tr>
                {w.head.map((h) => (
                  <th key={h}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {docs.map((d) => (
                <tr key={d.id}>
                  <td>
                    <a href={`/api/admin/invoices/${d.id}/pdf`} target="_blank" rel="noopener">
                      {d.number}
                    </a>
                  </td>
                  <td>{w.kinds[d.kind]}</td>
                  <td>{dateTime(d.issuedAt, locale)}</td>
                  <td>
                    {d.customer} <span className="muted small">{d.email}</span>
                  </td>
                  <td>{d.vatCase}</td>
                  <td>{money(d.totalExclVatCents, d.currency, locale)}</td>
                  <td>{money(d.vatCents, d.currency, locale)}</td>
                  <td>{money(d.totalInclVatCents, d.currency, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedTable>
      {totals && (
        <section aria-labelledby="vat-totals">
          <h2 id="vat-totals">{w.totals}</h2>
          <table className="table" data-testid="vat-totals">
            <thead>
              <tr>
                {/* the two column groups repeat their words: each header's position is its identity */}
                {w.totalsHead.map((h, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a fixed header row, never reordered
                  <th key={i}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {totals.rates.map((r) => (
                <tr key={`${r.rateBp}:${r.vatCase}`}>
                  <td>{r.rateBp / 100} %</td>
                  <td>{r.vatCase}</td>
                  <td>{r.invoices.count}</td>
                  <td>{money(r.invoices.baseCents, totals.currency, locale)}</td>
                  <td>{money(r.invoices.vatCents, totals.currency, locale)}</td>
                  <td>{r.creditNotes.count}</td>
                  <td>{money(r.creditNotes.baseCents, totals.currency, locale)}</td>
                  <td>{money(r.creditNotes.vatCents, totals.currency, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {w.net}: {money(totals.net.baseCents, totals.currency, locale)} + {money(totals.net.vatCents, totals.currency, locale)} ={' '}
            <strong>{money(totals.net.totalCents, totals.currency, locale)}</strong>
          </p>
          <p>
            {w.exports}: <a href={`/api/admin/invoices/export.csv?${period}`}>{w.csv}</a> · <a href={`/api/admin/invoices/export.fec?${period}`}>{w.fec}</a>
          </p>
        </section>
      )}
    </>
  );
}

// The operators' view of the documents: the paged list, totals per VAT rate over a period, and the period's exports,
// CSV and the French FEC (Fichier des écritures comptables).
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { containing, pageOf } from '../db/paging.ts';
import type { InvoiceRow } from '../db/schema.ts';
import { centsToDecimal } from '../domain/pricing.ts';

/** A Paris day's bounds: documents are dated in Paris time. */
const dayStart = (day: string) => sql`(${day}::date::timestamp at time zone 'Europe/Paris')`;
const dayEnd = (day: string) => sql`((${day}::date + 1)::timestamp at time zone 'Europe/Paris')`;

export interface ListQuery {
  kind?: 'invoice' | 'credit_note';
  from?: string;
  to?: string;
  q?: string;
  limit: number;
  cursor?: string;
}

interface ListRow {
  id: string;
  number: string;
  kind: 'invoice' | 'credit_note';
  order_id: string;
  invoice_number: string | null;
  issued_at: Date;
  buyer: { name: string; email: string };
  customer_kind: 'consumer' | 'business';
  vat_case: string;
  total_excl_vat_cents: string;
  vat_cents: string;
  total_incl_vat_cents: string;
  currency: string;
}

export function listDocuments(db: Database, q: ListQuery) {
  const where = [];
  if (q.kind) where.push(sql`d.kind = ${q.kind}`);
  if (q.from) where.push(sql`d.issued_at >= ${dayStart(q.from)}`);
  if (q.to) where.push(sql`d.issued_at < ${dayEnd(q.to)}`);
  if (q.q) {
    const like = containing(q.q);
    where.push(sql`(d.number ilike ${like} or d.buyer->>'name' ilike ${like} or d.buyer->>'email' ilike ${like} or d.order_id::text ilike ${like})`);
  }
  return pageOf(
    db,
    {
      name: 'invoices',
      from: sql`invoices d left join invoices i on i.id = d.invoice_id`,
      columns: sql`d.id, d.number, d.kind, d.order_id, i.number as invoice_number, d.issued_at, d.buyer, d.customer_kind, d.vat_case,
                   d.total_excl_vat_cents, d.vat_cents, d.total_incl_vat_cents, d.currency`,
      where,
      keys: [
        { expr: sql`d.issued_at`, type: 'timestamptz' },
        { expr: sql`d.id`, type: 'uuid' },
      ],
      direction: 'desc',
      map: (r: ListRow) => ({
        id: r.id,
        number: r.number,
        kind: r.kind,
        orderId: r.order_id,
        invoiceNumber: r.invoice_number,
        issuedAt: r.issued_at,
        customer: r.buyer.name,
        email: r.buyer.email,
        customerKind: r.customer_kind,
        vatCase: r.vat_case,
        totalExclVatCents: Number(r.total_excl_vat_cents),
        vatCents: Number(r.vat_cents),
        totalInclVatCents: Number(r.total_incl_vat_cents),
        currency: r.currency,
      }),
    },
    q,
  );
}

/** The documents issued in a period (Paris days, both included), in number order. */
export function documentsOf(db: Database, from: string, to: string): Promise<InvoiceRow[]> {
  return sql<InvoiceRow>`select * from invoices where issued_at >= ${dayStart(from)} and issued_at < ${dayEnd(to)} order by kind, seq`
    .execute(db)
    .then((r) => r.rows);
}

/** Per VAT rate and case: the invoices' and the credit notes' bases and VAT, and the net. */
export async function vatTotals(db: Database, currency: string, from: string, to: string) {
  const docs = await documentsOf(db, from, to);
  const rates = new Map<string, { rateBp: number; vatCase: string; invoices: Sum; creditNotes: Sum }>();
  type Sum = { count: number; baseCents: number; vatCents: number };
  for (const d of docs) {
    for (const v of d.vat_breakdown) {
      const key = `${v.rateBp}:${d.vat_case}`;
      const entry = rates.get(key) ?? {
        rateBp: v.rateBp,
        vatCase: d.vat_case,
        invoices: { count: 0, baseCents: 0, vatCents: 0 },
        creditNotes: { count: 0, baseCents: 0, vatCents: 0 },
      };
      const sum = d.kind === 'invoice' ? entry.invoices : entry.creditNotes;
      sum.count++;
      sum.baseCents += v.baseCents;
      sum.vatCents += v.vatCents;
      rates.set(key, entry);
    }
  }
  const list = [...rates.values()].sort((a, b) => b.rateBp - a.rateBp || a.vatCase.localeCompare(b.vatCase));
  const base = list.reduce((s, r) => s + r.invoices.baseCents - r.creditNotes.baseCents, 0);
  const vat = list.reduce((s, r) => s + r.invoices.vatCents - r.creditNotes.vatCents, 0);
  return { from, to, currency, rates: list, net: { baseCents: base, vatCents: vat, totalCents: base + vat } };
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // a cell a spreadsheet would read as a formula is quoted with a leading apostrophe (OWASP CSV injection)
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** One row a document: number, kind, dates, customer, VAT case and rate, amounts (decimal, the document's currency). */
export function documentsCsv(docs: InvoiceRow[]): string {
  const head = [
    'number',
    'kind',
    'issued_at',
    'invoice_id',
    'order_id',
    'customer',
    'email',
    'vat_number',
    'country',
    'customer_kind',
    'vat_case',
    'vat_rate',
    'total_excl_vat',
    'vat',
    'total_incl_vat',
    'currency',
    'provider',
    'payment_ref',
  ];
  const rows = docs.map((d) =>
    [
      d.number,
      d.kind,
      d.issued_at.toISOString(),
      d.invoice_id ?? '',
      d.order_id,
      d.buyer.name,
      d.buyer.email,
      d.buyer.vatNumber ?? '',
      d.buyer.country,
      d.customer_kind,
      d.vat_case,
      (d.vat_breakdown[0]?.rateBp ?? 0) / 100,
      centsToDecimal(Number(d.total_excl_vat_cents), d.currency),
      centsToDecimal(Number(d.vat_cents), d.currency),
      centsToDecimal(Number(d.total_incl_vat_cents), d.currency),
      d.currency,
      d.provider,
      d.payment_ref,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[head.join(','), ...rows].join('\r\n')}\r\n`;
}

/**
 * The FEC: the 18 columns of LPF art. A47 A-1 (arrêté du 29 juillet 2013) in their order, tab-separated, one line per
 * accounting entry line, amounts with a comma as decimal separator, dates YYYYMMDD (BOI-CF-IOR-60-40-20). A sale is
 * the customer's debit (411) against the revenue (706, services) and the VAT collected (44571); a credit note the
 * reverse. Journal VE (sales); the document number is the entry's reference.
 */
export const FEC_COLUMNS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const;

const fecAmount = (cents: number, currency: string) => centsToDecimal(cents, currency).replace('.', ',');
const fecDate = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' }).replace(/-/g, '');
const fecText = (s: string) => s.replace(/[\t\r\n|]/g, ' ');

export function documentsFec(docs: InvoiceRow[]): string {
  const lines: string[] = [FEC_COLUMNS.join('\t')];
  let entry = 0;
  for (const d of [...docs].sort((a, b) => a.issued_at.getTime() - b.issued_at.getTime())) {
    entry++;
    const invoice = d.kind === 'invoice';
    const date = fecDate(d.issued_at);
    const label = fecText(`${invoice ? 'Facture' : 'Avoir'} ${d.number} ${d.buyer.name}`);
    const aux = `C${d.order_id.slice(0, 8).toUpperCase()}`;
    const row = (account: string, accountLabel: string, debit: number, credit: number, withAux: boolean) =>
      [
        'VE',
        'Ventes',
        String(entry),
        date,
        account,
        accountLabel,
        withAux ? aux : '',
        withAux ? fecText(d.buyer.name) : '',
        d.number,
        date,
        label,
        fecAmount(debit, d.currency),
        fecAmount(credit, d.currency),
        '',
        '',
        date,
        '',
        d.currency === 'EUR' ? '' : d.currency,
      ].join('\t');
    const total = Number(d.total_incl_vat_cents);
    const base = Number(d.total_excl_vat_cents);
    const vat = Number(d.vat_cents);
    lines.push(row('411000', 'Clients', invoice ? total : 0, invoice ? 0 : total, true));
    lines.push(row('706000', 'Prestations de services', invoice ? 0 : base, invoice ? base : 0, false));
    if (vat) lines.push(row('445710', 'TVA collectée', invoice ? 0 : vat, invoice ? vat : 0, false));
  }
  return `${lines.join('\r\n')}\r\n`;
}

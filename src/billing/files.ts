// A document's PDF, rendered once and kept: every email and download after the first sends the same bytes.
import type { Database } from '../db/database.ts';
import { facturX } from './facturx.ts';
import { renderDocumentPdf } from './pdf.ts';

/** The stored PDF of a document, rendered and stored on first use (a business customer's is a Factur-X). */
export async function documentPdf(db: Database, invoiceId: string): Promise<{ pdf: Buffer; number: string; facturx: boolean } | undefined> {
  const stored = await db
    .selectFrom('invoice_files')
    .innerJoin('invoices', 'invoices.id', 'invoice_files.invoice_id')
    .select(['invoice_files.pdf', 'invoice_files.facturx', 'invoices.number'])
    .where('invoice_files.invoice_id', '=', invoiceId)
    .executeTakeFirst();
  if (stored) return stored;
  const doc = await db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirst();
  if (!doc) return undefined;
  const plain = await renderDocumentPdf(doc);
  const business = doc.customer_kind === 'business';
  const pdf = Buffer.from(business ? await facturX(doc, plain) : plain);
  // two renders at once: the first stored wins and both send it
  await db
    .insertInto('invoice_files')
    .values({ invoice_id: invoiceId, pdf, facturx: business })
    .onConflict((oc) => oc.column('invoice_id').doNothing())
    .execute();
  const kept = await db.selectFrom('invoice_files').select(['pdf', 'facturx']).where('invoice_id', '=', invoiceId).executeTakeFirstOrThrow();
  return { ...kept, number: doc.number };
}

export async function documentAttachment(db: Database, invoiceId: string) {
  const file = await documentPdf(db, invoiceId);
  if (!file) throw new Error(`document ${invoiceId} not found`);
  return { filename: `${file.number}.pdf`, content: file.pdf, contentType: 'application/pdf' };
}

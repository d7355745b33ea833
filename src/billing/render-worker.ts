// The thread that renders documents' PDFs (src/billing/render-pool.ts): pdf-lib lays text out and subsets fonts in
// JavaScript, seconds of CPU a document on a busy machine, which must not hold the worker's event loop (its jobs,
// its heartbeat).
import { parentPort } from 'node:worker_threads';
import type { InvoiceRow } from '../db/schema.ts';
import { facturX } from './facturx.ts';
import { renderDocumentPdf } from './pdf.ts';

parentPort?.on('message', async ({ id, doc }: { id: number; doc: InvoiceRow }) => {
  try {
    const plain = await renderDocumentPdf(doc);
    const pdf = doc.customer_kind === 'business' ? await facturX(doc, plain) : plain;
    parentPort!.postMessage({ id, pdf });
  } catch (err) {
    parentPort!.postMessage({ id, error: (err as Error).stack ?? String(err) });
  }
});

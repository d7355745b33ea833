// One rendering thread per process, started on first use and not keeping the process alive; requests queue on it.
// A thread that dies fails the renders it held (their jobs retry) and the next render starts another.
import { Worker } from 'node:worker_threads';
import type { InvoiceRow } from '../db/schema.ts';

let thread: Worker | undefined;
let next = 0;
const pending = new Map<number, { resolve(pdf: Uint8Array): void; reject(err: Error): void }>();

function failAll(err: Error) {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
  thread = undefined;
}

function renderer(): Worker {
  if (thread) return thread;
  // the thread runs the TypeScript source through tsx, as the process does (module hooks are registered per thread)
  const source = new URL('./render-worker.ts', import.meta.url).href;
  const t = new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true });
  t.unref();
  t.on('message', ({ id, pdf, error }: { id: number; pdf?: Uint8Array; error?: string }) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (pdf) p.resolve(pdf);
    else p.reject(new Error(`rendering a document failed: ${error}`));
  });
  t.on('error', (err) => failAll(err));
  t.on('exit', (code) => failAll(new Error(`the rendering thread stopped (${code})`)));
  thread = t;
  return t;
}

/** The document's PDF (Factur-X for a business customer), made on the rendering thread. */
export function renderOffThread(doc: InvoiceRow): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const id = next++;
    pending.set(id, { resolve, reject });
    renderer().postMessage({ id, doc });
  });
}

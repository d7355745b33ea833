// `npm run rdap:refresh`: download IANA's RDAP bootstrap file for DNS, check it, and replace the shipped copy atomically.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { rdapBootstrapSchema, SHIPPED_BOOTSTRAP_FILE } from './client.ts';

export const IANA_DNS_BOOTSTRAP_URL = 'https://data.iana.org/rdap/dns.json';

export interface RefreshResult {
  file: string;
  publication: string;
  services: number;
  tlds: number;
}

/** Download, validate and write over `file`; the old copy stays in place if anything fails. */
export async function refreshBootstrap(opts: { url?: string; file?: string; fetchImpl?: typeof fetch; timeoutMs?: number } = {}): Promise<RefreshResult> {
  const url = opts.url ?? IANA_DNS_BOOTSTRAP_URL;
  const file = opts.file ?? SHIPPED_BOOTSTRAP_FILE;
  const res = await (opts.fetchImpl ?? fetch)(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const text = await res.text();
  const parsed = rdapBootstrapSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${url} is not an RDAP bootstrap file: ${parsed.error.message}`);
  const tlds = parsed.data.services.flatMap(([t]) => t);
  // A truncated or emptied file would silently send every name to whois: refuse it.
  if (!tlds.includes('com')) throw new Error(`${url} has no server for .com; keeping the current copy`);

  // Keep IANA's bytes as they are, so a diff of the shipped copy shows exactly what IANA changed.
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return { file, publication: parsed.data.publication, services: parsed.data.services.length, tlds: tlds.length };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const { values } = parseArgs({ options: { url: { type: 'string' }, file: { type: 'string' } } });
  refreshBootstrap({ url: values.url, file: values.file }).then(
    (r) => console.log(`RDAP bootstrap ${r.publication}: ${r.services} services, ${r.tlds} TLDs → ${r.file}`),
    (err: Error) => {
      console.error(`rdap:refresh failed: ${err.message}`);
      process.exitCode = 1;
    },
  );
}

// Starts the whole system (sandbox world, API, workers) on a fresh database for one test file.
import fs from 'node:fs';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { startSystem, type Role, type System } from '../../src/system.ts';
import pino from 'pino';
import { redactPaths } from '../../src/log.ts';
import { freshDatabase } from './db.ts';

export interface TestSystem extends System {
  logLines: string[];
  /** fetch against the app, JSON in and out */
  api(pathname: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
}

export async function startTestSystem(env: Record<string, string> = {}, opts: { role?: Role } = {}): Promise<TestSystem> {
  const database = await freshDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-data-'));
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ADMIN_TOKEN: 'test-admin-token-0123456789abcdef',
    AVAILABILITY_BUDGET_MS: '2500',
    // a check's answer waits for its alternatives' budget and the registrar; the short answer budget is tested on its own
    CHECK_ANSWER_MS: '6000',
    WORKER_CONCURRENCY: '5',
    // certificates stay pending a moment and the step comes back for them, as with Netlify; short, so tests stay quick
    SANDBOX_CERT_DELAY_SECONDS: '0.3',
    HOST_POLL_MS: '200',
    ...env,
  });
  const logLines: string[] = [];
  const system = await startSystem({ config, role: opts.role, log: captureLogger(logLines), persistSandbox: false });
  const stop = system.stop;
  return Object.assign(system, {
    logLines,
    stop: async () => {
      await stop();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    api: async (pathname: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
      const res = await fetch(`${system.url}${pathname}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
        body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
        redirect: 'manual',
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      return { status: res.status, body, headers: res.headers };
    },
  });
}

/** A logger whose lines are kept in memory, so tests can read what was logged (and check it leaks nothing). */
function captureLogger(lines: string[]) {
  const stream = { write: (s: string) => void lines.push(s) };
  return pino({ level: 'info', redact: { paths: redactPaths, censor: '[redacted]' } }, stream);
}

/** Wait until `fn` returns a truthy value (polling), or fail after `ms`. */
export async function eventually<T>(fn: () => Promise<T | undefined | false | null>, ms = 10_000, every = 50): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** GET over HTTPS through the sandbox host's edge, as a visitor's browser reaches a customer's domain (SNI and Host, the sandbox CA). */
/** Reads `read` again until `done` holds of what it gives (a sandbox delay passing), and returns that. */
export function settled<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 10_000): Promise<T> {
  return eventually(async () => {
    const v = await read();
    return done(v) ? { v } : undefined;
  }, ms).then((x) => x.v);
}

export function visitSite(sys: System, domain: string, path = '/'): Promise<{ status: number; text: string; type: string; headers: IncomingHttpHeaders }> {
  const edge = sys.sandboxEndpoints!.netlify;
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port: edge.httpsPort, path, servername: domain, headers: { host: domain }, ca: edge.caCertPem }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, type: String(res.headers['content-type'] ?? ''), headers: res.headers }));
      })
      .on('error', reject);
  });
}

// The load generator, run as its own process (node --import tsx bench/lib/loadgen.ts spec.json result.json):
// open-loop HTTP at a fixed rate (each request leaves on schedule, whatever the latency of the others), or many
// server-sent-event clients that note when each timeline event reaches them.
import fs from 'node:fs';
import { BENCH_HOLDER } from './holders.ts';
import http from 'node:http';
import { signStripePayload } from '../../src/sandbox/stripe/server.ts';

export type LoadSpec =
  | {
      mode: 'http';
      url: string;
      rate: number;
      durationSec: number;
      /** keep-alive sockets at most (requests beyond wait in the agent's queue, and that wait counts) */
      maxSockets?: number;
      timeoutMs?: number;
      /**
       * Behave like the web form: a 503 `busy` is sent again after its Retry-After (times 1 to 2, spread), same
       * body and Idempotency-Key, up to this many tries in all. The latency counted is then the customer's whole
       * wait, from the first scheduled departure to the answer that is not `busy`.
       */
      busyTries?: number;
      body: { kind: 'intake'; tag: string } | { kind: 'webhook'; secret: string; payloads: string[] } | { kind: 'json'; json: unknown };
    }
  | { mode: 'sse'; baseUrl: string; tokens: string[] };

export interface HttpResult {
  sent: number;
  completed: number;
  /** from the request's scheduled departure to the end of its answer (no coordinated omission) */
  latenciesMs: number[];
  /** 2xx answers whose body says duplicate (webhooks) */
  duplicates: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  /** how late the generator itself sent, at worst */
  maxSendLagMs: number;
  /** with busyTries: 503 busy answers received along the way, and how many requests got at least one */
  busyAnswers: number;
  requestsRefusedOnce: number;
  /** with busyTries: from each request's scheduled departure to its first answer, busy or not */
  firstAnswerMs: number[];
  wallSeconds: number;
}

export interface SseResult {
  connected: number;
  errors: number;
  messages: number;
  /** [order_events.id, epoch ms when this client first saw it] */
  received: [number, number][];
}

const now = () => performance.timeOrigin + performance.now();

function requestBody(spec: Extract<LoadSpec, { mode: 'http' }>, i: number): { body: string; headers: Record<string, string> } {
  const b = spec.body;
  if (b.kind === 'intake') {
    const body = JSON.stringify({
      businessName: `Atelier ${b.tag} ${i}`,
      acceptTerms: true,
      earlyStart: true,
      email: `load-${i}@example.org`,
      domain: `load-${b.tag}-${i}.fr`,
      tier: i % 2 ? 'express' : 'standard',
      locale: 'fr',
      city: 'Lyon',
      holder: BENCH_HOLDER,
    });
    return { body, headers: { 'idempotency-key': `load-${b.tag}-${i}` } };
  }
  if (b.kind === 'webhook') {
    const body = b.payloads[i % b.payloads.length]!;
    // signed at departure, as Stripe signs each delivery attempt
    return { body, headers: { 'stripe-signature': signStripePayload(body, b.secret) } };
  }
  return { body: JSON.stringify(b.json), headers: {} };
}

async function runHttp(spec: Extract<LoadSpec, { mode: 'http' }>): Promise<HttpResult> {
  const url = new URL(spec.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.maxSockets ?? 512 });
  const total = Math.round(spec.rate * spec.durationSec);
  const interval = 1000 / spec.rate;
  const result: HttpResult = {
    sent: 0,
    completed: 0,
    latenciesMs: [],
    duplicates: 0,
    statuses: {},
    errors: {},
    maxSendLagMs: 0,
    wallSeconds: 0,
    busyAnswers: 0,
    requestsRefusedOnce: 0,
    firstAnswerMs: [],
  };
  let inFlight = 0;
  let allSent!: () => void;
  const sentAll = new Promise<void>((r) => (allSent = r));
  let drained!: () => void;
  const allDone = new Promise<void>((r) => (drained = r));

  const fire = (i: number, scheduled: number) => {
    const { body, headers } = requestBody(spec, i);
    inFlight++;
    result.sent++;
    result.maxSendLagMs = Math.max(result.maxSendLagMs, now() - scheduled);
    let settled = false;
    let tries = 0;
    const settle = (status: string | undefined, error?: string, text?: string) => {
      if (settled) return;
      settled = true;
      inFlight--;
      if (error) result.errors[error] = (result.errors[error] ?? 0) + 1;
      else {
        result.completed++;
        result.latenciesMs.push(now() - scheduled);
        result.statuses[status!] = (result.statuses[status!] ?? 0) + 1;
        if (text?.includes('"duplicate":true')) result.duplicates++;
      }
      if (inFlight === 0 && result.sent === total) drained();
    };
    const send = () => {
      tries++;
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
          timeout: spec.timeoutMs ?? 30_000,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            if (tries === 1 && spec.busyTries) result.firstAnswerMs.push(now() - scheduled);
            const busy = res.statusCode === 503 && text.includes('"code":"busy"');
            if (busy && spec.busyTries) {
              result.busyAnswers++;
              if (tries === 1) result.requestsRefusedOnce++;
              if (tries < spec.busyTries) {
                const seconds = Number(res.headers['retry-after']) || 1;
                setTimeout(send, seconds * 1000 * (1 + Math.random()));
                return;
              }
            }
            settle(String(res.statusCode), undefined, text);
          });
          res.on('error', (e) => settle(undefined, (e as NodeJS.ErrnoException).code ?? 'response_error'));
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', (e) => settle(undefined, (e as NodeJS.ErrnoException).code ?? 'request_error'));
      req.end(body);
    };
    send();
  };

  const t0 = now() + 50;
  let i = 0;
  const tick = () => {
    const t = now();
    while (i < total && t0 + i * interval <= t) {
      fire(i, t0 + i * interval);
      i++;
    }
    if (i < total) setTimeout(tick, Math.max(0, Math.min(interval, t0 + i * interval - now()) - 0.5));
    else allSent();
  };
  setTimeout(tick, 50);
  await sentAll;
  if (inFlight > 0) await allDone;
  result.wallSeconds = (now() - t0) / 1000;
  agent.destroy();
  return result;
}

async function runSse(spec: Extract<LoadSpec, { mode: 'sse' }>): Promise<SseResult> {
  const result: SseResult = { connected: 0, errors: 0, messages: 0, received: [] };
  const requests: http.ClientRequest[] = [];
  let firstMessages = 0;
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));

  const open = (token: string) =>
    new Promise<void>((resolve) => {
      const seen = new Set<number>();
      let first = true;
      let buffer = '';
      const req = http.get(`${spec.baseUrl}/api/concierge/status/${token}/events`, { agent: false }, (res) => {
        if (res.statusCode !== 200) {
          result.errors++;
          res.resume();
          return resolve();
        }
        result.connected++;
        resolve();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = now();
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n');
            if (!data) continue;
            result.messages++;
            const status = JSON.parse(data) as { timeline: { id: number }[] };
            for (const e of status.timeline) {
              if (seen.has(e.id)) continue;
              seen.add(e.id);
              // the first message replays the past: only what happens after it counts
              if (!first) result.received.push([e.id, at]);
            }
            if (first) {
              first = false;
              if (++firstMessages === spec.tokens.length) readyResolve();
            }
          }
        });
      });
      req.on('error', () => {
        result.errors++;
        resolve();
      });
      requests.push(req);
    });

  // connect 50 at a time, like a crowd arriving, not a single burst of 1,000 SYNs
  for (let i = 0; i < spec.tokens.length; i += 50) await Promise.all(spec.tokens.slice(i, i + 50).map(open));
  if (result.errors) readyResolve();
  await Promise.race([ready, new Promise((r) => setTimeout(r, 30_000))]);
  process.send!({ ready: true, connected: result.connected, errors: result.errors });
  await new Promise<void>((resolve) => process.on('message', (m: { stop?: boolean }) => m.stop && resolve()));
  for (const r of requests) r.destroy();
  return result;
}

const [specFile, resultFile] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specFile!, 'utf8')) as LoadSpec;
const result = spec.mode === 'http' ? await runHttp(spec) : await runSse(spec);
fs.writeFileSync(resultFile!, JSON.stringify(result));
process.exit(0);

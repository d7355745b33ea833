// The latency and fault models every sandbox server takes, so demos, tests, chaos runs and benchmarks share one world.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface LatencyModel {
  /** uniform latency between min and max milliseconds, added before each answer */
  minMs: number;
  maxMs: number;
}

export interface FaultModel {
  /** share of calls answered with a 5xx (or the protocol's own server error) */
  errorRate: number;
  /** share of calls never answered (the client's timeout fires) */
  timeoutRate: number;
  /** share of calls answered 429 with Retry-After */
  rateLimitRate: number;
  /** share of calls whose connection is destroyed without an answer */
  dropRate: number;
  /** payments only: share of webhooks sent twice */
  duplicateWebhookRate?: number;
  /** payments only: share of webhooks delivered late, after the next one */
  reorderWebhookRate?: number;
  /**
   * The account's credentials revoked (a rotated token, a disabled API key): every authenticated
   * call is refused the way the real provider refuses a bad key, until reset. Netlify, Namecheap, Stripe, PayPal, and
   * SMTP (AUTH answered 535).
   */
  revokedCredentials?: boolean;
  /**
   * share of the calls that buy, charge, refund, create or upload (domains.create, a checkout, a capture, a refund, a
   * site, a deploy, a deploy's file, an email's DATA) whose answer is lost *after* the provider acted: the work is done,
   * then the connection is cut, the answer held past the client's timeout, or a server error comes back. The caller
   * cannot tell it from a call that did nothing; only an idempotency key or a look before retrying saves it from doing it
   * twice. A call the provider refused did nothing: its answer is never lost this way.
   */
  lostAnswerRate?: number;
}

/** What becomes of the answer of a call whose work was done (see lostAnswerRate). */
export type LostAnswer = 'drop' | 'timeout' | 'error';

/** A call that spends or creates, as a server sees it arrive: what it is and which client connection sent it. */
export interface SpendingCall {
  server: string;
  operation: string;
  /** the client's port on loopback: which process sent it */
  remotePort?: number;
  /** the request's path (and query), for a test that loses one particular answer */
  path?: string;
}

export type FaultOutcome = 'ok' | 'error' | 'timeout' | 'rate_limited' | 'drop';

export const noFaults: FaultModel = { errorRate: 0, timeoutRate: 0, rateLimitRate: 0, dropRate: 0 };
export const noLatency: LatencyModel = { minMs: 0, maxMs: 0 };

/** Holds one server's models; tests and the demo change them at run time. */
export class FaultInjector {
  latency: LatencyModel;
  faults: FaultModel;
  /** how long a "timeout" holds the request before destroying it (ms) */
  timeoutHoldMs = 30_000;
  /** answers lost after the work was done, by operation (the chaos run reports them) */
  readonly lostAnswers = new Map<string, number>();
  /**
   * Called when a call that spends or creates arrives, before the provider acts on it; the call waits for it. A caller
   * killed from here (the chaos run SIGKILLs its worker) leaves the work done for a caller that never hears of it.
   */
  onSpending?: (call: SpendingCall) => Promise<void> | void;
  private random: () => number;

  constructor(opts: { latency?: LatencyModel; faults?: Partial<FaultModel>; random?: () => number } = {}) {
    this.latency = opts.latency ?? noLatency;
    this.faults = { ...noFaults, ...opts.faults };
    this.random = opts.random ?? Math.random;
  }

  set(faults: Partial<FaultModel>): void {
    this.faults = { ...this.faults, ...faults };
  }

  reset(): void {
    this.faults = { ...noFaults };
  }

  async delay(): Promise<void> {
    const { minMs, maxMs } = this.latency;
    if (maxMs <= 0) return;
    const ms = minMs + this.random() * Math.max(0, maxMs - minMs);
    await new Promise((r) => setTimeout(r, ms));
  }

  /** Draw the outcome of one call. */
  pick(): FaultOutcome {
    const f = this.faults;
    let r = this.random();
    if ((r -= f.errorRate) < 0) return 'error';
    if ((r -= f.timeoutRate) < 0) return 'timeout';
    if ((r -= f.rateLimitRate) < 0) return 'rate_limited';
    if ((r -= f.dropRate) < 0) return 'drop';
    return 'ok';
  }

  /** Draw whether a call's answer, once its work is done, is lost (and how), counting it: call it only after the work. */
  loseAnswer(operation: string): LostAnswer | undefined {
    const lost = this.drawLoss();
    if (lost) this.lostAnswers.set(operation, (this.lostAnswers.get(operation) ?? 0) + 1);
    return lost;
  }

  private drawLoss(): LostAnswer | undefined {
    if (!this.chance(this.faults.lostAnswerRate)) return undefined;
    const r = this.random();
    return r < 1 / 3 ? 'drop' : r < 2 / 3 ? 'timeout' : 'error';
  }

  /**
   * For an HTTP call that spends or creates, once routed (after `apply`): lets `onSpending` act first, then may arm
   * `res` so that the answer the server writes after doing the work never reaches the client (lostAnswerRate). Whether
   * the work was done is read from the answer once written (`didWork`: a 2xx by default); a refusal goes out untouched
   * and is not counted.
   */
  async spending(
    server: string,
    operation: string,
    req: IncomingMessage,
    res: ServerResponse,
    serverError?: (res: ServerResponse) => void,
    didWork: (status: number, body: string) => boolean = (status) => status >= 200 && status < 300,
  ): Promise<void> {
    await this.onSpending?.({ server, operation, remotePort: req.socket.remotePort, path: req.url });
    const lost = this.drawLoss();
    if (!lost) return;
    const real = { writeHead: res.writeHead, write: res.write, end: res.end };
    // the server writes its answer as usual into a buffer; once complete, it goes out as written or is lost
    const written: ['writeHead' | 'write', unknown[]][] = [];
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown) => {
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk as string));
    };
    let status: number | undefined;
    res.writeHead = ((...args: unknown[]) => {
      status = Number(args[0]);
      written.push(['writeHead', args]);
      return res;
    }) as typeof res.writeHead;
    res.write = ((...args: unknown[]) => {
      keep(args[0]);
      written.push(['write', args]);
      return true;
    }) as typeof res.write;
    res.end = ((...args: unknown[]) => {
      Object.assign(res, real);
      keep(typeof args[0] === 'function' ? undefined : args[0]);
      if (!didWork(status ?? res.statusCode, Buffer.concat(chunks).toString('utf8'))) {
        for (const [method, a] of written) (res[method] as (...x: unknown[]) => unknown)(...a);
        return (res.end as (...x: unknown[]) => ServerResponse)(...args);
      }
      this.lostAnswers.set(operation, (this.lostAnswers.get(operation) ?? 0) + 1);
      if (lost === 'drop') req.socket.destroy();
      else if (lost === 'timeout') this.hold(req.socket);
      else answerServerError(res, serverError);
      return res;
    }) as typeof res.end;
  }

  /** A connection held unanswered for timeoutHoldMs, then cut: what a client sees of a server that hangs. */
  hold(socket: Socket | undefined): void {
    if (!socket) return;
    const t = setTimeout(() => socket.destroy(), this.timeoutHoldMs);
    socket.once('close', () => clearTimeout(t));
  }

  chance(rate: number | undefined): boolean {
    return !!rate && this.random() < rate;
  }

  /**
   * For HTTP servers: wait the latency, draw an outcome and, when it is a fault, answer it
   * (or hold / drop the connection). Returns true when the caller should answer normally.
   * `serverError` lets a protocol answer its own way (Namecheap answers errors inside HTTP 200), and `throttled` its
   * own "slow down" (Namecheap's is HTTP 405).
   */
  async apply(
    req: IncomingMessage,
    res: ServerResponse,
    serverError?: (res: ServerResponse) => void,
    throttled?: (res: ServerResponse) => void,
  ): Promise<boolean> {
    await this.delay();
    const outcome = this.pick();
    switch (outcome) {
      case 'ok':
        return true;
      case 'error':
        answerServerError(res, serverError);
        return false;
      case 'rate_limited':
        if (throttled) {
          throttled(res);
          return false;
        }
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'rate_limited' }));
        return false;
      case 'timeout':
        this.hold(req.socket);
        return false;
      case 'drop':
        req.socket.destroy();
        return false;
    }
  }
}

function answerServerError(res: ServerResponse, serverError: ((res: ServerResponse) => void) | undefined): void {
  if (serverError) serverError(res);
  else {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'sandbox_injected_fault' }));
  }
}

/** Every sandbox server exposes this to the world that started it. */
export interface SandboxServer {
  name: string;
  /** base URL (http://127.0.0.1:port) or, for TCP/UDP servers, host:port */
  url: string;
  faults: FaultInjector;
  close(): Promise<void>;
}

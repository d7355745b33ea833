// The one way adapters call a provider over HTTP: a deadline per request, every failure as a ProviderError, secrets kept out of messages and logs.
import http from 'node:http';
import https from 'node:https';
import { ProviderError } from '../errors.ts';
import type { Logger } from '../log.ts';

/** What a failed call means for whoever retries it. */
export interface ErrorMapping {
  code: string;
  retryable: boolean;
  retryAfterMs?: number;
}

/**
 * Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3), read as milliseconds from `now`; a date
 * already past is 0; anything else is no instruction.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // an HTTP-date names its day or month ("Sun, 06 Nov 1994 08:49:37 GMT"); Date.parse would take "-5" for a year
  if (!/[a-z]{3}/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * What a status says about a call, for every provider. 429 is "slow down" (RFC 6585 §4) and 408 (RFC 9110 §15.5.9)
 * and 5xx are passing failures: the same call may succeed later. 401/403 refuse our credentials, 404 names nothing,
 * 422 refuses the content; any other 4xx refuses the request as sent. An adapter renames or refines through `refine`.
 */
export function mapStatus(status: number): ErrorMapping {
  if (status === 429) return { code: 'rate_limited', retryable: true };
  if (status >= 500 || status === 408) return { code: 'server_error', retryable: true };
  if (status === 401 || status === 403) return { code: 'auth_failed', retryable: false };
  if (status === 404) return { code: 'not_found', retryable: false };
  if (status === 422) return { code: 'unprocessable', retryable: false };
  return { code: 'invalid_request', retryable: false };
}

export interface StatusErrorOptions {
  /** the answer's Retry-After, read: kept on every retryable answer (429, and 503 which may carry one too) */
  retryAfterMs?: number;
  /** how long a 429 without Retry-After waits (the provider's published window) */
  rateLimitWaitMs?: number;
  /** the adapter's say over the shared mapping, for what its provider means otherwise (its own error codes) */
  refine?: (base: ErrorMapping) => Partial<ErrorMapping> | undefined;
}

/** The ProviderError for a failed answer: the shared mapping, refined by the adapter. */
export function statusError(provider: string, status: number, message: string, opts: StatusErrorOptions = {}): ProviderError {
  const base = mapStatus(status);
  const { code, retryable, retryAfterMs } = { ...base, ...opts.refine?.(base) };
  const wait = retryAfterMs ?? opts.retryAfterMs ?? (code === 'rate_limited' ? opts.rateLimitWaitMs : undefined);
  return new ProviderError(provider, code, message, retryable, retryable ? wait : undefined, status);
}

/** Why a request got no answer: undici puts the socket's error (ECONNREFUSED, ECONNRESET, ENOTFOUND...) in `cause`. */
export function describeCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

// name=value pairs (query strings, form bodies, JSON) whose value is a credential, and credentials in an Authorization header
const SECRET_PAIRS = /\b(api_?key|client_?secret|client_?ip|password|passwd|secret|token|access_token|refresh_token)(["']?\s*[=:]\s*["']?)[^&\s"',;]+/gi;
const AUTH_SCHEMES = /\b(Bearer|Basic)\s+[\w.~+/=-]{8,}/gi;

/**
 * `text` with every secret taken out: the values in `secrets` wherever they stand, credential parameters
 * (ApiKey=, ClientIp=, token=, password=...) and Authorization credentials. Values too short to be secrets are ignored.
 */
export function redact(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out.replace(SECRET_PAIRS, '$1$2[redacted]').replace(AUTH_SCHEMES, '$1 [redacted]');
}

/** JSON text as a value; `{}` for an empty body (a 204, a bare error), undefined when it is not JSON. */
export function readJson(text: string): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An HTTP answer, whatever its status. */
export interface ProviderAnswer {
  status: number;
  ok: boolean;
  headers: Headers;
  /** the body, or '' when the request asked not to read it */
  text: string;
  /** the request's name (ProviderRequest.operation) */
  operation: string;
}

export interface ProviderRequest {
  method: string;
  url: string | URL;
  /** names the call in messages and logs ("GET /sites/{id}", "namecheap.domains.check"); never holds a secret */
  operation: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  /** the caller's own cancel (a time budget ending): its abort fails as `aborted`, not as the provider's timeout */
  signal?: AbortSignal;
  /** false: only the status matters, the body is discarded unread */
  read?: boolean;
}

/** How an adapter's provider words its failures, over the shared mapping. */
export interface ProviderDialect {
  /** the code of a request that got no answer (refused, reset, DNS); 'network' by default */
  networkCode?: string;
  /** the provider's own words in a failed answer (its error body); by default the body's start, or the status */
  message?: (answer: ProviderAnswer) => string | undefined;
  /** the adapter's say over the shared mapping of a failed answer (its provider's error codes) */
  refine?: (answer: ProviderAnswer, base: ErrorMapping) => Partial<ErrorMapping> | undefined;
  /** how long a 429 without Retry-After waits */
  rateLimitWait?: (answer: ProviderAnswer) => number | undefined;
}

/** What every HTTP adapter's options offer. */
export interface HttpClientOptions {
  /** for each request, answer included */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  /** each request, at debug level: its name, its outcome and how long it took */
  logger?: Logger;
}

/** How an adapter sets up its provider's HTTP. */
export interface ProviderHttpOptions {
  /** the deadline when the adapter's options give none */
  defaultTimeoutMs: number;
  /** values never to show in a message or a log (API keys, tokens, passwords); read at each use */
  secrets?: () => Iterable<string | undefined>;
  dialect?: ProviderDialect;
}

/** One provider's HTTP: requests with a deadline, answers or ProviderErrors, redacted words, each request logged. */
export class ProviderHttp {
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  /** a fetch given by the adapter's options (tests) serves every request, status-only ones included */
  private readonly injected: boolean;
  private readonly logger?: Logger;
  private readonly dialect: ProviderDialect;

  /** `provider` names it in errors and logs. */
  constructor(
    readonly provider: string,
    client: HttpClientOptions,
    private readonly opts: ProviderHttpOptions,
  ) {
    this.timeoutMs = client.timeoutMs ?? opts.defaultTimeoutMs;
    this.fetchImpl = client.fetchImpl ?? fetch;
    this.injected = client.fetchImpl !== undefined;
    this.logger = client.logger;
    this.dialect = opts.dialect ?? {};
  }

  /**
   * One request. Resolves with the answer, whatever its status; throws a retryable ProviderError when none came:
   * `timeout` (our deadline), `aborted` (the caller's signal) or the dialect's network code.
   */
  async send(req: ProviderRequest): Promise<ProviderAnswer> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const { operation } = req;
    const started = performance.now();
    const logger = this.logger?.isLevelEnabled('debug') ? this.logger : undefined;
    const log = (outcome: string) =>
      logger?.debug({ provider: this.provider, call: this.redact(operation), outcome, ms: Math.round(performance.now() - started) }, `${this.provider} call`);
    try {
      if (req.read === false && !this.injected && (req.body === undefined || typeof req.body === 'string')) {
        const answer = await statusOnly(req, timeout);
        log(`http ${answer.status}`);
        return answer;
      }
      const res = await this.fetchImpl(req.url, { method: req.method, headers: req.headers, body: req.body, signal });
      let text = '';
      if (req.read === false) await res.body?.cancel();
      else text = await res.text();
      log(`http ${res.status}`);
      return { status: res.status, ok: res.ok, headers: res.headers, text, operation };
    } catch (err) {
      if (req.signal?.aborted) {
        log('aborted');
        throw this.error('aborted', `${operation}: abandoned by the caller`);
      }
      if (timeout.aborted) {
        log('timeout');
        throw this.error('timeout', `${operation}: no answer within ${this.timeoutMs} ms`);
      }
      log('network');
      throw this.error(this.dialect.networkCode ?? 'network', `${operation}: ${describeCause(err)}`);
    }
  }

  /** A retryable failure of this provider, its message redacted. */
  private error(code: string, message: string, status?: number): ProviderError {
    return new ProviderError(this.provider, code, this.redact(message), true, undefined, status);
  }

  /** The ProviderError for an answer that did not succeed. */
  failure(answer: ProviderAnswer): ProviderError {
    // redacted before it is cut, so that no part of a secret survives the cut
    const words = this.dialect.message?.(answer) ?? (this.redact(answer.text).slice(0, 200) || `HTTP ${answer.status}`);
    return statusError(this.provider, answer.status, this.redact(`${answer.operation}: ${words}`), {
      retryAfterMs: parseRetryAfter(answer.headers.get('retry-after')),
      rateLimitWaitMs: answer.status === 429 ? this.dialect.rateLimitWait?.(answer) : undefined,
      refine: this.dialect.refine && ((base) => this.dialect.refine!(answer, base)),
    });
  }

  /** A request whose success is JSON: the parsed body, or the ProviderError of a failure or of an unreadable success. */
  async json<T>(req: ProviderRequest): Promise<T> {
    const answer = await this.send(req);
    if (!answer.ok) throw this.failure(answer);
    const body = readJson(answer.text);
    if (body === undefined) {
      throw this.error('malformed_response', `${answer.operation}: the answer is not JSON`, answer.status);
    }
    return body as T;
  }

  /** `text` without this provider's secrets. */
  redact(text: string): string {
    return redact(text, this.opts.secrets?.() ?? []);
  }
}

/**
 * Connections kept open between status-only requests (RDAP lookups: hundreds a second in a burst of domain checks,
 * src/providers/availability/checker.ts). An idle one is closed after 4 s, as undici closes fetch's.
 */
const KEPT_ALIVE = { http: new http.Agent({ keepAlive: true, timeout: 4_000 }), https: new https.Agent({ keepAlive: true, timeout: 4_000 }) };

/**
 * A request whose status (and headers) is all that matters, over node:http(s) rather than fetch: the body is drained
 * unread so that the connection is used again. Measured on this code's RDAP lookups, fetch's streams, Request and
 * Response objects cost about three times the CPU of the request itself (BENCHMARKS.md, figure h). The caller who stops
 * waiting (`req.signal`) is let go at once while the request finishes on its own, so that its connection is kept rather
 * than closed and opened again for the next lookup; the `deadline` ends it. A failure comes out as fetch's would (an
 * error with the socket's code in `cause`); the caller's and the deadline's are told apart by their signals.
 */
function statusOnly(req: ProviderRequest, deadline: AbortSignal): Promise<ProviderAnswer> {
  const url = typeof req.url === 'string' ? new URL(req.url) : req.url;
  const secure = url.protocol === 'https:';
  const caller = req.signal;
  if (caller?.aborted) return Promise.reject(caller.reason);
  return new Promise<ProviderAnswer>((resolve, reject) => {
    const leave = () => reject(caller!.reason);
    caller?.addEventListener('abort', leave, { once: true });
    const settle = () => caller?.removeEventListener('abort', leave);
    const request = (secure ? https : http).request(
      url,
      { method: req.method, headers: req.headers, agent: secure ? KEPT_ALIVE.https : KEPT_ALIVE.http, signal: deadline },
      (res) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const status = res.statusCode ?? 0;
        // answered once the body is drained: the connection is then free for the next request
        res.on('end', () => {
          settle();
          resolve({ status, ok: status >= 200 && status < 300, headers, text: '', operation: req.operation });
        });
        res.on('error', (err) => {
          settle();
          reject(new Error(err.message, { cause: err }));
        });
        res.resume();
      },
    );
    request.on('error', (err) => {
      settle();
      reject(new Error(err.message, { cause: err }));
    });
    request.end(req.body);
  });
}

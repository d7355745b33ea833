// The API as the front end calls it: one fetch helper typed by the route (src/contract), and the public routes' calls.
// Types only come from the contract (`import type`): nothing of it, nor zod, is in the bundle.
import type { ApiErrorBody, FieldProblem, Locale } from '@contract/common.ts';
import type { Answer, Body, Params, Query, RouteKey } from '@contract/index.ts';
import type { OrderStatus } from '@contract/orders.ts';

export type { Locale } from '@contract/common.ts';
export type {
  Alternative,
  ArchiveSummary,
  ConciergeCreated,
  ConciergeRequest,
  DomainCheck,
  DomainRefused,
  Money,
  OrderState,
  OrderStatus,
  PaymentProvider,
  Price,
  PriceCode,
  PriceList,
  StepName,
  StepView,
  Tier,
  TimelineEntry,
} from '@contract/orders.ts';

/**
 * True when the list L holds every value of T. The web keeps its own lists of the contract's values where it needs
 * them at run time (filters, the editor's days); `true satisfies Covers<typeof LIST, T>` stops compiling when the
 * contract gains a value the list lacks.
 */
export type Covers<L extends readonly string[], T extends string> = [T] extends [L[number]] ? true : false;

/** An answer other than 2xx, carrying the API's `{code, message}` (the message already in the person's language). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Partial<ApiErrorBody> = {},
  ) {
    super(message);
  }
  get fields(): FieldProblem[] {
    return Array.isArray(this.body.fields) ? this.body.fields : [];
  }
}

/** A request that never got an answer (offline, server down). */
export class NetworkError extends Error {}

/** The error an answer other than 2xx stands for, from its status and its text (our `{code, message}`, or anything else). */
export function apiErrorOf(status: number, statusText: string, text: string): ApiError {
  let body: Partial<ApiErrorBody> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (parsed && typeof parsed === 'object') body = parsed;
  } catch {
    // not JSON: the status says enough
  }
  return new ApiError(status, String(body.code ?? `http_${status}`), String(body.message ?? statusText), body);
}

/** A part of a request, required when the route's schema requires it, optional when all of it is, absent when the route takes none. */
type Part<N extends string, T> = [T] extends [undefined] ? { [P in N]?: never } : Record<never, never> extends T ? { [P in N]?: T } : { [P in N]: T };

/** What a call of `route` sends: its path parameters, query and JSON body, as the contract types them. */
export type CallOptions<K extends RouteKey> = Part<'params', Params<K>> &
  Part<'query', Query<K>> &
  Part<'body', Body<K>> & {
    /** the language of the answer's words (`?lang=`: every route takes it) */
    lang?: Locale;
    headers?: Record<string, string>;
    signal?: AbortSignal;
    /** bytes as the body instead of JSON (a picture) */
    raw?: Blob;
    /** a request that outlives the page (a last save as it closes) */
    keepalive?: boolean;
  };
type Args<K extends RouteKey> = Record<never, never> extends CallOptions<K> ? [options?: CallOptions<K>] : [options: CallOptions<K>];

/** What any request may carry (the typed calls below narrow it to what a route takes). */
interface Request {
  params?: object;
  query?: object;
  body?: unknown;
  lang?: Locale;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}
/** Bytes as the body instead of JSON (a picture), another answer than JSON, a request that outlives the page. */
interface Sending {
  raw?: Blob;
  accept?: string;
  keepalive?: boolean;
}

/** The address of a route: its path parameters filled in, its query and `lang` in the query string (empty values left out). */
export function urlOf<K extends RouteKey>(route: K, request: Request = {}): string {
  const values: Record<string, unknown> = { ...request.params };
  const path = route.slice(route.indexOf(' ') + 1).replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(values[name])));
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries<unknown>({ ...request.query, ...(request.lang ? { lang: request.lang } : {}) }))
    if (v !== undefined && v !== '') q.set(k, String(v));
  return q.size ? `${path}?${q}` : path;
}

/**
 * Send a request and read its answer's text: any answer other than 2xx throws its ApiError, no answer a NetworkError
 * (an abort stays an abort).
 */
async function exchange(route: RouteKey, request: Request & Sending): Promise<string> {
  const method = route.slice(0, route.indexOf(' '));
  const json = request.body !== undefined ? JSON.stringify(request.body) : method === 'POST' && !request.raw ? '{}' : undefined;
  let res: Response;
  try {
    res = await fetch(urlOf(route, request), {
      method,
      headers: {
        accept: request.accept ?? 'application/json',
        ...(json !== undefined ? { 'content-type': 'application/json' } : request.raw ? { 'content-type': 'application/octet-stream' } : {}),
        ...request.headers,
      },
      body: json ?? request.raw,
      signal: request.signal,
      keepalive: request.keepalive,
      credentials: 'same-origin',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new NetworkError((err as Error).message);
  }
  const text = await res.text();
  if (!res.ok) throw apiErrorOf(res.status, res.statusText, text);
  return text;
}

/** A route whose answer is not JSON (a page): its text. */
export function send<K extends RouteKey>(route: K, request: CallOptions<K> & { accept: string }): Promise<string> {
  return exchange(route, request);
}

/** A JSON route's answer, read from its text: the one place an answer takes the type the contract declares for it. */
export function answerOf<K extends RouteKey>(_route: K, text: string): Answer<K> {
  return (text ? JSON.parse(text) : undefined) as Answer<K>;
}

/** Call a JSON route: the answer typed as the contract declares it. */
export async function call<K extends RouteKey>(route: K, ...[request]: Args<K>): Promise<Answer<K>> {
  return answerOf(route, await exchange(route, request ?? {}));
}

/**
 * A status from the live stream on top of the one we have: its timeline holds the events we lack, those after
 * `timelineAfter` and any that came late with a smaller id. Undefined when it does not follow what we have (we lack
 * events in between): fetch the whole status again.
 */
export function mergeStatus(current: OrderStatus | null, next: OrderStatus): OrderStatus | undefined {
  const after = next.timelineAfter;
  if (!after) return next;
  if (!current || current.lastEventId < after) return undefined;
  const byId = new Map(current.timeline.map((e) => [e.id, e]));
  for (const e of next.timeline) byId.set(e.id, e);
  return { ...next, timeline: [...byId.values()].sort((a, b) => a.id - b.id) };
}

/**
 * A 503 `busy` means the server refused the request before doing anything (too many at once): send
 * it again after the Retry-After it gave, with the same Idempotency-Key, for up to about half a minute.
 */
async function whenNotBusy<T>(attempt: () => Promise<T>, tries = 8): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'busy' || n >= tries) throw err;
      const seconds = Number(err.body.retryAfterSeconds) || 1;
      // spread the returns, or every refused browser comes back in the same instant
      await new Promise((r) => setTimeout(r, seconds * 1000 * (1 + Math.random())));
    }
  }
}

export const api = {
  prices: () => call('GET /api/prices'),
  checkDomain: (query: Query<'GET /api/domains/check'>, signal?: AbortSignal) => call('GET /api/domains/check', { query, signal }),
  request: (body: Body<'POST /api/request-concierge-service'>, idempotencyKey: string) =>
    whenNotBusy(() => call('POST /api/request-concierge-service', { body, headers: { 'idempotency-key': idempotencyKey } })),
  status: (token: string, lang: Locale) => call('GET /api/concierge/status/:token', { params: { token }, lang }),
  statusEventsUrl: (token: string, lang: Locale) => urlOf('GET /api/concierge/status/:token/events', { params: { token }, lang }),
  paymentLink: (token: string) => call('POST /api/concierge/status/:token/payment-link', { params: { token } }),
  chooseDomain: (token: string, domain: string) => call('POST /api/concierge/status/:token/domain', { params: { token }, body: { domain } }),
  answerSatisfaction: (token: string, body: Body<'POST /api/concierge/status/:token/satisfaction'>, lang: Locale) =>
    call('POST /api/concierge/status/:token/satisfaction', { params: { token }, body, lang }),
  setAutoRenew: (token: string, on: boolean, lang: Locale) => call('POST /api/concierge/status/:token/auto-renew', { params: { token }, body: { on }, lang }),
  invoices: (token: string) => call('GET /api/concierge/status/:token/invoices', { params: { token } }),
  withdraw: (token: string) => call('POST /api/concierge/status/:token/withdrawal', { params: { token }, body: { confirm: true } }),
  legal: () => call('GET /api/legal'),
  personalDataUrl: (token: string) => urlOf('GET /api/concierge/status/:token/personal-data', { params: { token } }),
  erasePersonalData: (token: string, lang: Locale) => call('POST /api/concierge/status/:token/erasure', { params: { token }, body: { confirm: true }, lang }),
};

/** A fresh random idempotency key (one per submission attempt, reused when that attempt is retried). */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

// The public API as the front end sees it: the shapes it answers and small typed fetch helpers.
import type { Locale } from './i18n.ts';

export interface Money {
  amountCents: number;
  currency: string;
  premium: boolean;
}

export interface Alternative {
  domain: string;
  available: true;
  price: Money;
}

export interface DomainCheck {
  domain: string;
  unicode: string;
  available: boolean;
  source: 'rdap' | 'whois' | 'registrar';
  price?: Money;
  alternatives?: Alternative[];
  reason?: 'premium_too_expensive' | string;
}

export type Tier = 'express' | 'standard';
export type PaymentProvider = 'stripe' | 'paypal';
export type PriceCode = 'domain_first_year' | 'service' | 'express_surcharge';

export interface Price {
  currency: string;
  items: { code: PriceCode; amountCents: number }[];
  totalCents: number;
  premium?: boolean;
}

export interface ConciergeRequest {
  businessName: string;
  email: string;
  domain: string;
  tier: Tier;
  locale: Locale;
  city?: string;
  paymentProvider?: PaymentProvider;
  /** the taken name first asked for, when `domain` is one of the alternatives offered for it */
  requestedDomain?: string;
}

export interface ConciergeCreated {
  orderId: string;
  trackingToken: string;
  statusUrl: string;
  trackingUrl: string;
  paymentUrl: string;
  domain: string;
  price: Price;
  deadline: { tier: Tier; hours: number; countedFrom: 'payment'; ifPaidNow: string };
}

export type OrderState =
  | 'awaiting_payment'
  | 'payment_expired'
  | 'paid'
  | 'registering_domain'
  | 'domain_unavailable'
  | 'creating_site'
  | 'deploying'
  | 'configuring_dns'
  | 'securing'
  | 'verifying'
  | 'delivered'
  | 'refunding'
  | 'refunded'
  | 'cancelled';

export type StepName = 'register_domain' | 'create_site' | 'deploy_site' | 'point_dns' | 'wait_dns' | 'secure_site' | 'verify_site' | 'deliver';

export interface StepView {
  step: StepName | string;
  phase: number;
  state: 'done' | 'current' | 'todo' | 'failed';
  etaSeconds: number;
  finishedAt?: string;
}

export interface TimelineEntry {
  id?: number;
  type: string;
  at: string;
  message: string;
  /** site_publish_waiting: when the host takes the deploy */
  until?: string;
}

/** An uploaded static site, as the API summarises it. */
export interface ArchiveSummary {
  files: number;
  size: number;
  contentBytes: number;
  uploadedAt: string;
}

export interface OrderStatus {
  orderId: string;
  state: OrderState;
  final: boolean;
  domain: string;
  domainUnicode: string;
  tier: Tier;
  locale: Locale;
  businessName: string;
  price: Price;
  deadline: { hours: number; countedFrom: 'payment'; at: string | null };
  paidAt: string | null;
  elapsedSeconds: number | null;
  currentStep: string | null;
  steps: StepView[];
  eta: string | null;
  currentStepEtaSeconds: number | null;
  paymentUrl?: string;
  trackingUrl: string;
  siteUrl: string | null;
  editorUrl: string;
  /** the editor is worth offering (not once cancelled, refunded or expired) */
  editorOpen: boolean;
  site: { archive: ArchiveSummary | null; archiveAllowed: boolean; archiveMaxMb: number; archiveMaxFiles: number };
  alternatives?: Alternative[];
  report?: unknown;
  lastEventId: number;
  /** the live stream sends only the events after this id (0: the whole timeline): see mergeStatus */
  timelineAfter?: number;
  timeline: TimelineEntry[];
}

/**
 * A status from the live stream on top of the one we have: its timeline holds the events we lack, those after
 * `timelineAfter` and any that came late with a smaller id. Undefined when it does not follow what we have (we lack
 * events in between): fetch the whole status again.
 */
export function mergeStatus(current: OrderStatus | null, next: OrderStatus): OrderStatus | undefined {
  const after = next.timelineAfter ?? 0;
  if (!after) return next;
  if (!current || current.lastEventId < after) return undefined;
  const byId = new Map(current.timeline.map((e) => [e.id ?? 0, e]));
  for (const e of next.timeline) byId.set(e.id ?? 0, e);
  return { ...next, timeline: [...byId.values()].sort((a, b) => (a.id ?? 0) - (b.id ?? 0)) };
}

/** What the landing page needs to say what things cost and how long they take. */
export interface PriceList {
  currency: string;
  serviceCents: number;
  expressSurchargeCents: number;
  expressHours: number;
  standardHours: number;
  tlds: { tld: string; amountCents: number }[];
}

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

/** An answer other than 2xx, carrying the API's `{code, message}` (the message already in the person's language). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
  get fields(): FieldProblem[] {
    return Array.isArray(this.body.fields) ? (this.body.fields as FieldProblem[]) : [];
  }
}

/** A request that never got an answer (offline, server down). */
export class NetworkError extends Error {}

export async function call<T>(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      credentials: 'same-origin',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new NetworkError((err as Error).message);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    throw new ApiError(res.status, String(b.code ?? `http_${res.status}`), String(b.message ?? res.statusText), b);
  }
  return body as T;
}

/**
 * A 503 `busy` means the server refused the request before doing anything (too many at once): send
 * it again after the Retry-After it gave, with the same Idempotency-Key, for up to about half a minute.
 */
async function whenNotBusy<T>(send: () => Promise<T>, tries = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'busy' || attempt >= tries) throw err;
      const seconds = Number(err.body.retryAfterSeconds) || 1;
      // spread the returns, or every refused browser comes back in the same instant
      await new Promise((r) => setTimeout(r, seconds * 1000 * (1 + Math.random())));
    }
  }
}

export const api = {
  prices: () => call<PriceList>('/api/prices'),
  checkDomain: (q: { name: string; businessName?: string; city?: string; lang: Locale }, signal?: AbortSignal) => {
    const params = new URLSearchParams({ name: q.name, lang: q.lang });
    if (q.businessName) params.set('businessName', q.businessName);
    if (q.city) params.set('city', q.city);
    return call<DomainCheck>(`/api/domains/check?${params}`, { signal });
  },
  request: (body: ConciergeRequest, idempotencyKey: string) =>
    whenNotBusy(() => call<ConciergeCreated>('/api/request-concierge-service', { body, headers: { 'idempotency-key': idempotencyKey } })),
  status: (token: string, lang: Locale) => call<OrderStatus>(`/api/concierge/status/${encodeURIComponent(token)}?lang=${lang}`),
  statusEventsUrl: (token: string, lang: Locale) => `/api/concierge/status/${encodeURIComponent(token)}/events?lang=${lang}`,
  paymentLink: (token: string) =>
    call<{ paymentUrl: string; expiresAt: string; provider: PaymentProvider }>(`/api/concierge/status/${encodeURIComponent(token)}/payment-link`, {
      method: 'POST',
      body: {},
    }),
  chooseDomain: (token: string, domain: string) =>
    call<unknown>(`/api/concierge/status/${encodeURIComponent(token)}/domain`, { method: 'POST', body: { domain } }),
};

/** A fresh random idempotency key (one per submission attempt, reused when that attempt is retried). */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

// The admin API: session cookie plus the CSRF token on every state-changing request.
import { ApiError, call, type OrderStatus } from '../api.ts';

/** Every admin list answers one page of this shape (src/db/paging.ts). */
export interface Page<T> {
  items: T[];
  /** the rows matching the filters, at most 10,000 */
  total: number;
  /** false when more than 10,000 match: `total` is then the cap */
  totalIsExact: boolean;
  /** give it back as `cursor` for the next page; null on the last one */
  nextCursor: string | null;
}

/** A list's filters and search, as its query string takes them; empty values are left out. */
export type ListParams = Record<string, string | undefined>;

export interface AdminOrderRow {
  id: string;
  domain: string;
  business_name: string;
  email: string;
  tier: 'express' | 'standard';
  state: string;
  payment_provider: 'stripe' | 'paypal';
  total_cents: number;
  currency: string;
  created_at: string;
  paid_at: string | null;
  deadline_at: string | null;
  current_step: string | null;
  at_risk: boolean;
}

export interface ProviderCall {
  provider: string;
  operation: string;
  outcome: string;
  error_code: string | null;
  duration_ms: number | null;
  at: string;
}

export interface AdminEmail {
  id: string;
  kind: string;
  subject: string;
  state: string;
  to_address: string;
  sent_at: string | null;
}

export interface AdminOrderDetail {
  order: Record<string, unknown> & { id: string; domain: string; state: string; email?: string; business_name?: string };
  status: OrderStatus;
  steps: Record<string, unknown>[];
  providerCalls: ProviderCall[];
  emails: AdminEmail[];
}

/** GET /api/admin/outbox: an email as the outbox holds it, without its bodies */
export interface OutboxEmail {
  id: string;
  orderId: string | null;
  kind: string;
  to: string;
  subject: string;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  messageId: string;
  createdAt: string;
  sentAt: string | null;
}

/** GET /api/admin/outbox/{id} */
export interface OutboxEmailFull extends OutboxEmail {
  from: string;
  html: string;
  text: string;
}

/** GET /api/admin/audit */
export interface AdminAuditEntry {
  id: string;
  at: string;
  action: string;
  target: string;
  actor: 'console' | 'api' | null;
  details: Record<string, unknown>;
}

export interface ProviderHealth {
  provider: string;
  circuit: 'closed' | 'open' | 'half_open';
  calls: number;
  errors: number;
  errorRate: number;
  p50Ms: number | null;
}

/** GET /api/admin/metrics (src/http/routes/monitoring.ts): figures over a window, and what is in flight now. */
export interface AdminMetrics {
  window: string;
  windowSeconds: number;
  from: string;
  to: string;
  requested: number;
  paid: number;
  delivered: number;
  failed: number;
  successRate: number | null;
  timeToLive: { meanSeconds: number | null; medianSeconds: number | null; p95Seconds: number | null };
  deadlines: { met: number; missed: number; share: number | null };
  revenue: { currency: string; paidCents: number; refundedCents: number; netCents: number };
  inFlight: number;
  atRisk: number;
  overdue: number;
  openAlerts: number;
  sites: { up: number; failing: number; down: number; unchecked: number };
}

export interface AdminAlert {
  id: string;
  rule: string;
  subject: string;
  severity: 'warning' | 'critical' | string;
  state: 'open' | 'resolved' | string;
  summary: string;
  details: Record<string, unknown>;
  openedAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  notices: { opened: string | null; escalated: string | null; resolved: string | null };
}

/** GET /api/admin/jobs/failed (src/monitoring/operations.ts) */
export interface AdminFailedJob {
  id: string;
  task: string;
  key: string | null;
  orderId: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  failedAt: string;
  createdAt: string;
}

export interface AdminMonitor {
  orderId: string;
  domain: string;
  businessName: string;
  url: string;
  enabled: boolean;
  intervalSeconds: number;
  status: 'up' | 'failing' | 'down' | 'unchecked' | 'stopped';
  /** paused_by_operator, domain_expired, domain_left, order_<state> */
  stoppedReason: string | null;
  stoppedAt: string | null;
  lastCheckedAt: string | null;
  lastOkAt: string | null;
  lastError: string | null;
  lastHttpStatus: number | null;
  lastLatencyMs: number | null;
  consecutiveFailures: number;
  failingSince: string | null;
  nextCheckAt: string | null;
  certificateExpiresAt: string | null;
  domainExpiresAt: string | null;
  domainCheckedAt: string | null;
  incident: { id: string; since: string; customerNotifiedAt: string | null } | null;
}

/** GET /api/admin/reports/daily (src/monitoring/report.ts) */
export interface AdminDailyReport {
  day: string;
  timeZone: string;
  /** when it was stored, or computed for a report not stored */
  createdAt: string;
  /** today so far: the period ends at the time of the answer */
  partial: boolean;
  stored: boolean;
  /** a day that ended before the installation's first order: empty, not stored */
  beforeFirstOrder: boolean;
  period: { from: string; to: string };
  report: Omit<AdminMetrics, 'window' | 'windowSeconds' | 'inFlight' | 'atRisk' | 'overdue' | 'openAlerts' | 'sites'> & {
    day: string;
    timeZone: string;
    incidents: { opened: number; closed: number; downtimeSeconds: number; sites: string[] };
    alerts: { opened: number; byRule: Record<string, number> };
  };
}

let csrfToken = '';

/** Called when any admin request answers 401: the console goes back to its login form. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}

async function adminCall<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  try {
    return await call<T>(path, {
      method,
      body: init.body ?? (method === 'POST' ? {} : undefined),
      headers: method === 'GET' ? {} : { 'x-csrf-token': csrfToken },
    });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && !path.endsWith('/login')) onSignedOut();
    throw err;
  }
}

/** One page of a list: its filters, search and cursor in the query string. */
function list<T>(path: string, params: ListParams): Promise<Page<T>> {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  return adminCall<Page<T>>(`${path}${p.size ? `?${p}` : ''}`);
}

export const adminApi = {
  /** true when signed in (and the CSRF token is known), false otherwise */
  async session(): Promise<boolean> {
    try {
      const s = await call<{ ok: boolean; csrfToken?: string }>('/api/admin/session');
      csrfToken = s.csrfToken ?? '';
      return !!s.ok;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return false;
      throw err;
    }
  },
  async login(password: string): Promise<void> {
    await call('/api/admin/login', { method: 'POST', body: { password } });
  },
  async logout(): Promise<void> {
    await adminCall('/api/admin/logout', { method: 'POST' }).catch(() => {});
    csrfToken = '';
  },
  orders: (params: ListParams) => list<AdminOrderRow>('/api/admin/orders', params),
  // the timeline's words in the console's language
  order: (id: string, lang: 'fr' | 'en') => adminCall<AdminOrderDetail>(`/api/admin/orders/${encodeURIComponent(id)}?lang=${lang}`),
  retry: (id: string, step?: string) => adminCall<unknown>(`/api/admin/orders/${encodeURIComponent(id)}/retry`, { method: 'POST', body: step ? { step } : {} }),
  refund: (id: string) => adminCall<unknown>(`/api/admin/orders/${encodeURIComponent(id)}/refund`, { method: 'POST' }),
  resendEmail: (id: string, emailId: string) =>
    adminCall<unknown>(`/api/admin/orders/${encodeURIComponent(id)}/resend-email`, { method: 'POST', body: { emailId } }),
  outbox: (params: ListParams) => list<OutboxEmail>('/api/admin/outbox', params),
  outboxEmail: (id: string) => adminCall<OutboxEmailFull>(`/api/admin/outbox/${encodeURIComponent(id)}`),
  providers: () => adminCall<{ providers: ProviderHealth[] }>('/api/admin/providers/health'),
  metrics: (window: string) => adminCall<AdminMetrics>(`/api/admin/metrics?window=${encodeURIComponent(window)}`),
  alerts: (params: ListParams) => list<AdminAlert>('/api/admin/alerts', params),
  monitors: (params: ListParams) => list<AdminMonitor>('/api/admin/monitors', params),
  pauseMonitor: (orderId: string) => adminCall<unknown>(`/api/admin/monitors/${encodeURIComponent(orderId)}/pause`, { method: 'POST' }),
  resumeMonitor: (orderId: string) => adminCall<unknown>(`/api/admin/monitors/${encodeURIComponent(orderId)}/resume`, { method: 'POST' }),
  failedJobs: (params: ListParams) => list<AdminFailedJob>('/api/admin/jobs/failed', params),
  audit: (params: ListParams) => list<AdminAuditEntry>('/api/admin/audit', params),
  retryJob: (id: string) => adminCall<unknown>(`/api/admin/jobs/${encodeURIComponent(id)}/retry`, { method: 'POST' }),
  discardJob: (id: string) => adminCall<unknown>(`/api/admin/jobs/${encodeURIComponent(id)}/discard`, { method: 'POST' }),
  /** the day's report (today's so far), or the latest day's; 'future' for a day to come (422 report_day_in_future) */
  async dailyReport(day?: string): Promise<AdminDailyReport | 'future'> {
    try {
      return await adminCall<AdminDailyReport>(`/api/admin/reports/daily${day ? `?date=${encodeURIComponent(day)}` : ''}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'report_day_in_future') return 'future';
      throw err;
    }
  },
};

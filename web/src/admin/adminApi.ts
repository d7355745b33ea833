// The admin API: session cookie plus the CSRF token on every state-changing request; each call typed by its route (src/contract).
import type { Locale } from '@contract/common.ts';
import type { AdminDailyReport } from '@contract/admin.ts';
import type { Answer } from '@contract/index.ts';
import { ApiError, call, type CallOptions } from '../api.ts';

export type { Page } from '@contract/common.ts';
export type {
  AdminAlert,
  AdminAuditEntry,
  AdminDailyReport,
  AdminFailedJob,
  AdminMetrics,
  AdminMonitor,
  AdminOrderDetail,
  AdminOrderRow,
  OrderFigures,
  OutboxEmail,
  OutboxEmailFull,
  ProviderHealth,
} from '@contract/admin.ts';
export type { AdminDocument, VatTotals } from '@contract/invoices.ts';

/** A list's filters and search, as its query string takes them; empty values are left out. */
export type ListParams = Record<string, string | undefined>;

let csrfToken = '';

/** Called when any admin request answers 401: the console goes back to its login form. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}

/** An admin route's answer: a 401 signs the console out. */
async function signedIn<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) onSignedOut();
    throw err;
  }
}
/** The session's CSRF token, on every request that changes state. */
const csrf = () => ({ 'x-csrf-token': csrfToken });
const id = (value: string) => ({ id: value });

/** The admin lists' routes: each answers a page (src/db/paging.ts). */
type ListRoute =
  | 'GET /api/admin/orders'
  | 'GET /api/admin/outbox'
  | 'GET /api/admin/alerts'
  | 'GET /api/admin/monitors'
  | 'GET /api/admin/jobs/failed'
  | 'GET /api/admin/audit'
  | 'GET /api/admin/invoices';
/** One page of a list. Its filters are strings from the console's own option lists; the server checks each one (422). */
const list =
  <K extends ListRoute>(route: K) =>
  (params: ListParams): Promise<Answer<K>> =>
    signedIn(call(route, { query: params } as CallOptions<K>));

export const adminApi = {
  /** true when signed in (and the CSRF token is known), false otherwise */
  async session(): Promise<boolean> {
    try {
      const s = await call('GET /api/admin/session');
      csrfToken = s.csrfToken;
      return s.ok;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return false;
      throw err;
    }
  },
  async login(password: string): Promise<void> {
    await call('POST /api/admin/login', { body: { password } });
  },
  async logout(): Promise<void> {
    await signedIn(call('POST /api/admin/logout', { headers: csrf() })).catch(() => {});
    csrfToken = '';
  },
  orders: list('GET /api/admin/orders'),
  // the timeline's words in the console's language
  order: (orderId: string, lang: Locale) => signedIn(call('GET /api/admin/orders/:id', { params: id(orderId), lang })),
  retry: (orderId: string, step?: string) =>
    signedIn(call('POST /api/admin/orders/:id/retry', { params: id(orderId), body: step ? { step } : {}, headers: csrf() })),
  refund: (orderId: string) => signedIn(call('POST /api/admin/orders/:id/refund', { params: id(orderId), headers: csrf() })),
  resendEmail: (orderId: string, emailId: string) =>
    signedIn(call('POST /api/admin/orders/:id/resend-email', { params: id(orderId), body: { emailId }, headers: csrf() })),
  outbox: list('GET /api/admin/outbox'),
  invoices: list('GET /api/admin/invoices'),
  invoiceTotals: (from: string, to: string) => signedIn(call('GET /api/admin/invoices/totals', { query: { from, to } })),
  refundPart: (orderId: string, body: { amountCents?: number; reason: string }) =>
    signedIn(call('POST /api/admin/orders/:id/refunds', { params: id(orderId), body, headers: csrf() })),
  outboxEmail: (emailId: string) => signedIn(call('GET /api/admin/outbox/:id', { params: id(emailId) })),
  providers: () => signedIn(call('GET /api/admin/providers/health')),
  metrics: (window: string) => signedIn(call('GET /api/admin/metrics', { query: { window } })),
  renewals: () => signedIn(call('GET /api/admin/renewals')),
  alerts: list('GET /api/admin/alerts'),
  monitors: list('GET /api/admin/monitors'),
  pauseMonitor: (orderId: string) => signedIn(call('POST /api/admin/monitors/:orderId/pause', { params: { orderId }, headers: csrf() })),
  resumeMonitor: (orderId: string) => signedIn(call('POST /api/admin/monitors/:orderId/resume', { params: { orderId }, headers: csrf() })),
  failedJobs: list('GET /api/admin/jobs/failed'),
  audit: list('GET /api/admin/audit'),
  retryJob: (jobId: string) => signedIn(call('POST /api/admin/jobs/:id/retry', { params: id(jobId), headers: csrf() })),
  discardJob: (jobId: string) => signedIn(call('POST /api/admin/jobs/:id/discard', { params: id(jobId), headers: csrf() })),
  /** the day's report (today's so far), or the latest day's; 'future' for a day to come (422 report_day_in_future) */
  async dailyReport(day?: string): Promise<AdminDailyReport | 'future'> {
    try {
      return await signedIn(call('GET /api/admin/reports/daily', { query: { date: day } }));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'report_day_in_future') return 'future';
      throw err;
    }
  },
};

// The admin API: session cookie plus the CSRF token on every state-changing request.
import { ApiError, call, type OrderStatus } from '../api.ts';

export interface AdminOrderRow {
  id: string;
  domain: string;
  business_name: string;
  email: string;
  tier: 'express' | 'standard';
  state: string;
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

export interface OutboxMessage {
  to: string[];
  from: string;
  subject: string;
  date: string;
  html: string;
  text: string;
  messageId: string;
  state?: string;
}

export interface ProviderHealth {
  provider: string;
  circuit: 'closed' | 'open' | 'half_open';
  calls: number;
  errors: number;
  errorRate: number;
  p50Ms: number | null;
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
    return await call<T>(path, { method, body: init.body ?? (method === 'POST' ? {} : undefined), headers: method === 'GET' ? {} : { 'x-csrf-token': csrfToken } });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && !path.endsWith('/login')) onSignedOut();
    throw err;
  }
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
  orders(q: { state?: string; tier?: string; atRisk?: boolean; q?: string }) {
    const p = new URLSearchParams();
    if (q.state) p.set('state', q.state);
    if (q.tier) p.set('tier', q.tier);
    if (q.atRisk) p.set('atRisk', 'true');
    if (q.q) p.set('q', q.q);
    return adminCall<{ orders: AdminOrderRow[] }>(`/api/admin/orders${p.toString() ? `?${p}` : ''}`);
  },
  order: (id: string) => adminCall<AdminOrderDetail>(`/api/admin/orders/${encodeURIComponent(id)}`),
  retry: (id: string, step?: string) => adminCall<unknown>(`/api/admin/orders/${encodeURIComponent(id)}/retry`, { method: 'POST', body: step ? { step } : {} }),
  refund: (id: string) => adminCall<unknown>(`/api/admin/orders/${encodeURIComponent(id)}/refund`, { method: 'POST' }),
  resendEmail: (id: string, emailId: string) =>
    adminCall<unknown>(`/api/admin/orders/${encodeURIComponent(id)}/resend-email`, { method: 'POST', body: { emailId } }),
  outbox: () => adminCall<{ source: string; messages: OutboxMessage[] }>('/api/admin/outbox'),
  providers: () => adminCall<{ providers: ProviderHealth[] }>('/api/admin/providers/health'),
};

// What the Stripe sandbox's API modules share: Stripe's error answers, its id shapes, its form parameters.
import { randomBytes } from 'node:crypto';

export type Params = Record<string, unknown>;

export interface StripeErrorBody {
  type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';
  code?: string;
  message: string;
  param?: string;
  /** card errors: the issuer's reason, and the PaymentIntent the refused confirmation left (docs.stripe.com/api/errors) */
  decline_code?: string;
  payment_intent?: object;
}

/** An API error answer. `saved` says whether an idempotent replay returns it (Stripe saves nothing for requests that failed validation). */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly saved = false,
  ) {
    super(body.message);
  }
}

export const invalid = (message: string, code?: string, param?: string, saved = false) =>
  new StripeApiError(400, { type: 'invalid_request_error', code, message, param }, saved);
export const missingParam = (param: string) => invalid(`Missing required param: ${param}.`, 'parameter_missing', param);
export const noSuch = (what: string, id: string, param = 'id') =>
  new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}: '${id}'`, param });

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomId(prefix: string, length: number): string {
  let out = prefix;
  for (const byte of randomBytes(length)) out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return out;
}

/**
 * Stripe's form encoding (docs.stripe.com/api, "Request body": application/x-www-form-urlencoded, nested with brackets):
 * `line_items[0][price_data][currency]=eur` becomes `{line_items: [{price_data: {currency: 'eur'}}]}`.
 */
export function parseForm(body: string): Params {
  const root: Params = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Params;
    });
  }
  return arraysFromIndices(root) as Params;
}

function arraysFromIndices(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Params).map(([k, v]) => [k, arraysFromIndices(v)] as const);
  if (entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}

/** Parameters the endpoint does not know are refused by name, as Stripe refuses them (`parameter_unknown`). */
export function unknownParams(p: Params, known: Set<string>): void {
  for (const key of Object.keys(p)) if (!known.has(key)) throw invalid(`Received unknown parameter: ${key}`, 'parameter_unknown', key);
}

export function integerParam(raw: unknown, param: string, min: number): number {
  if (raw === undefined || raw === '') throw missingParam(param);
  const n = Number(raw);
  if (!/^-?\d+$/.test(String(raw)) || !Number.isSafeInteger(n)) {
    throw invalid(`Invalid integer: ${String(raw)}`, 'parameter_invalid_integer', param);
  }
  if (n < min) throw invalid(`This value must be greater than or equal to ${min}.`, 'parameter_invalid_integer', param);
  return n;
}

/** Metadata: "up to 50 keys" (docs.stripe.com/api/metadata); values are kept as strings. */
export function stringRecord(raw: unknown, param: string): Record<string, string> {
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(`Invalid object`, 'parameter_invalid_string', param);
  const entries = Object.entries(raw as Params);
  if (entries.length > 50) throw invalid('Metadata can have at most 50 keys.', 'parameter_invalid_string', param);
  return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
}

// The pieces every route's contract is made of: locales, tokens, instants, the error shape, paging, and how non-JSON answers are declared.
// Zod schemas only: the web imports their types (`import type`), so nothing here may reach Node or the server's modules.
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../error-codes.ts';
import { LOCALES } from '../domain/locale.ts';

export { LOCALES, type Locale } from '../domain/locale.ts';
export type { ErrorCode } from '../error-codes.ts';
export const locale = z.enum(LOCALES);
/** `?lang=`: the language of the answer's words (else the order's or the browser's) */
export const langQuery = z.object({ lang: locale.optional() });

/** An order's tracking token, as a path parameter (a malformed one is simply not found). */
export const tokenParam = z.object({ token: z.string().min(1).max(100) });

/** One line of text a person typed: no control characters (they would let a value break out of an email header). */
export const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u);

/** The JSON Schema of what goes on the wire, for the OpenAPI document of a value the server holds in another type. */
const wireDoc = (wire: z.ZodType) => {
  const { $schema: _drop, ...doc } = z.toJSONSchema(wire, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });
  return doc;
};

/**
 * A value the server holds loosely (a string, JSON read from the database) that the wire carries as `wire`: checked
 * against `wire` on the way out (a mismatch is the server's bug, a 500, never a malformed answer), documented as `wire`,
 * and typed as `wire` for the web (`z.input`).
 */
export const sentAs = <W extends z.ZodType, S extends z.ZodType>(wire: W, held: S, toWire: (value: z.input<S>) => z.output<W>) =>
  z
    .codec(wire, held, {
      // answers only: a request is never read through these
      decode: () => {
        throw new Error('a sent-only schema cannot read a request');
      },
      encode: toWire,
    })
    .meta(wireDoc(wire));

/** One of `values` on the wire, where the server's own type is a plain string. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => sentAs(z.enum(values), z.string(), (v) => v as T[number]);

/** JSON the database keeps without a type: sent as `wire` (unknown fields are not sent). */
export const stored = <W extends z.ZodType>(wire: W) => sentAs(wire, z.unknown(), (v) => v as z.output<W>);

/** An instant: ISO 8601 text on the wire; the server gives a Date (as PostgreSQL returns it) or that text. */
export const instant = sentAs(
  z.string().meta({ format: 'date-time' }),
  z.custom<Date | string>((v) => v instanceof Date || typeof v === 'string', 'a Date or an ISO 8601 string'),
  (v) => (v instanceof Date ? v.toISOString() : v),
);

/** What the web receives: the wire side of a schema (an instant is a string there). */
export type Wire<T extends z.ZodType> = z.input<T>;

// ---------- errors ----------

/**
 * An error's code: one of ERROR_CODES. The server can only give those (AppError.code and every field problem's code
 * are typed ErrorCode), so the answer is not checked again on the way out: an error answer never fails to serialise.
 */
const errorCode = z.custom<ErrorCode>((v) => typeof v === 'string', 'an error code').meta({ type: 'string', enum: [...ERROR_CODES] });

/** One field's problem: its path in the request, a stable code, a message in the asker's language. */
export const fieldProblem = z.object({
  field: z.string().describe('the path in the request, e.g. "document.services.0.name"'),
  code: errorCode,
  message: z.string(),
  params: z.record(z.string(), z.unknown()).optional().describe('what the message was made from (e.g. {max: 120}), for clients with their own wording'),
});
export type FieldProblem = z.infer<typeof fieldProblem>;

/**
 * Every refusal and failure: a stable machine-readable `code` and a `message` in the asker's language (French or
 * English). Some codes carry more: `fields` (each bad field), `retryAfterSeconds` (429 and 503, also in Retry-After),
 * `alternatives` (a taken domain), `currentVersion` (a stale edit).
 */
export const apiError = z.looseObject({
  code: errorCode,
  message: z.string(),
  fields: z.array(fieldProblem).optional(),
  retryAfterSeconds: z.number().optional(),
});
export type ApiErrorBody = z.infer<typeof apiError>;

const refusal = (what: string) => apiError.describe(what);

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 502 | 503;

/**
 * A route's error answers: the statuses it gives itself, each with its codes, and the ones every route may give
 * (bad input, too many requests, the server unable to answer now).
 */
export function errors<const O extends Partial<Record<ErrorStatus, string>> = Record<never, string>>(own?: O) {
  const answers: Record<string, typeof apiError> = {};
  for (const [status, codes] of Object.entries(own ?? {})) answers[status] = refusal(String(codes));
  return {
    ...(answers as { [S in keyof O]: typeof apiError }),
    '4xx': refusal('The request was refused: `invalid_request` (400), a field that does not hold (422, with `fields`), `rate_limited` (429, Retry-After), …'),
    '5xx': refusal('`busy` or `temporarily_unavailable` (503, Retry-After: send it again), `internal_error` (500).'),
  };
}

// ---------- answers other than JSON ----------

/** An answer with a body of its own type (a page, a picture, a stream): declared by media type, never serialised from JSON. */
export const media = (description: string, types: readonly string[], body: 'text' | 'bytes' = 'text') => {
  const schema = body === 'text' ? z.string() : z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes').meta({ type: 'string', format: 'binary' });
  return { description, content: Object.fromEntries(types.map((type) => [type, { schema }])) };
};
export const htmlPage = (description: string) => media(description, ['text/html']);
/** No body (204, and redirects whose Location says where to go). */
export const noBody = (description: string) => z.undefined().describe(description);

// ---------- paging ----------

export const PAGE_LIMIT_MAX = 100;
export const PAGE_LIMIT_DEFAULT = 50;

/** The paging part of every list's query string. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
  cursor: z.string().max(2000).optional(),
};

/** One shape for every admin list. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int().describe('the rows matching the filters, at most 10,000'),
    totalIsExact: z.boolean().describe('false when more than 10,000 rows match: `total` is then the cap'),
    nextCursor: z.string().nullable().describe('pass it back as `cursor` for the rows after this page; null on the last page'),
  });

/** A page of any list, as the web receives it. */
export type Page<T> = Omit<z.input<ReturnType<typeof page>>, 'items'> & { items: T[] };

export const ok = z.object({ ok: z.boolean() });

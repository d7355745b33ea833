// A request body checked against its schema field by field: each bad field with a stable code and a message in the
// asker's language, for the routes that validate their bodies themselves (`attachValidation`) to say precisely why.
import type { z } from 'zod';
import { AppError } from '../errors.ts';
import type { ErrorCode } from '../error-codes.ts';
import type { FieldProblem } from '../contract/common.ts';
import type { Locale } from '../domain/locale.ts';
import { errorMessage } from './error-messages.ts';

export function parseOrThrow<T extends z.ZodType>(schema: T, body: unknown, locale: Locale): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw validationError(
    parsed.error.issues.flatMap((issue) =>
      // one problem per key the schema does not know, each named by its own path
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => fieldProblem({ ...issue, path: [...issue.path, key] }, body, locale))
        : [fieldProblem(issue, body, locale)],
    ),
    locale,
  );
}

export function validationError(fields: FieldProblem[], _locale: Locale): AppError {
  const only = fields.length === 1 ? fields[0] : undefined;
  const err = new AppError(only?.code ?? 'invalid_request', 422, only?.params ?? {}, { fields });
  // a single field's message says the precise reason; the AppError's own message comes from its code
  if (only) Object.assign(err.extra, { message: only.message });
  return err;
}

const at = (value: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), value);

/** One zod issue → the field it is about, a stable code, and a message in the customer's language. */
export function fieldProblem(issue: z.core.$ZodIssue, body: unknown, locale: Locale): FieldProblem {
  const field = issue.path.map(String).join('.') || '(body)';
  const last = String(issue.path.at(-1) ?? '');
  const parent = String(issue.path.at(-2) ?? '');
  const make = (code: ErrorCode, params?: Record<string, unknown>, messageCode: ErrorCode = code): FieldProblem => ({
    field,
    code,
    message: errorMessage(messageCode, locale, params),
    ...(params ? { params } : {}),
  });
  switch (issue.code) {
    case 'invalid_type':
      return at(body, issue.path) === undefined ? make('field_required') : make('field_invalid');
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return make('field_required');
      if (issue.origin === 'number') return make('number_out_of_range', { min: Number(issue.minimum) }, 'number_out_of_range');
      return make('field_invalid');
    case 'too_big':
      if (issue.origin === 'string') return make('field_too_long', { max: Number(issue.maximum) }, 'site_field_too_long');
      if (issue.origin === 'array') return make('too_many_items', { max: Number(issue.maximum) }, 'site_too_many_items');
      if (issue.origin === 'number') return make('number_out_of_range', { min: 0, max: Number(issue.maximum) });
      return make('field_invalid');
    case 'invalid_value':
      return make('value_not_allowed', { values: issue.values.map(String) });
    case 'invalid_format':
      if (issue.message === 'no control characters') return make('control_characters');
      if (parent === 'colors') return make('color_invalid');
      if (last === 'opens' || last === 'closes') return make('time_invalid');
      if (last === 'mapUrl') return make('url_invalid');
      if (last === 'email') return make('email_invalid');
      if (last === 'phone') return make('phone_invalid');
      if (last === 'logoAssetId' || last === 'assetId') return make('asset_unknown');
      return make('field_invalid');
    case 'unrecognized_keys':
      return make('field_unknown');
    case 'custom':
      if (last === 'closes') return make('hours_same');
      return make('field_invalid');
    default:
      return make('field_invalid');
  }
}

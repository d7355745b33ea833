// What the PayPal sandbox's API modules share: PayPal's error answers (developer.paypal.com/api/rest/responses) and its id shape.
import { randomBytes } from 'node:crypto';

export interface ErrorDetail {
  field?: string;
  value?: string;
  location?: 'body' | 'path' | 'header' | 'query';
  issue: string;
  description: string;
}

/** A refusal, answered as PayPal's error body (errorBody). */
export class PaypalApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorName: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export const invalidRequest = (...details: ErrorDetail[]) =>
  new PaypalApiError(400, 'INVALID_REQUEST', 'Request is not well-formed, syntactically incorrect, or violates schema.', details);
export const unprocessable = (issue: string, description: string) =>
  new PaypalApiError(422, 'UNPROCESSABLE_ENTITY', 'The requested action could not be performed, semantically incorrect, or failed business validation.', [
    { issue, description },
  ]);
export const notFound = (field: string, value: string) =>
  new PaypalApiError(404, 'RESOURCE_NOT_FOUND', 'The specified resource does not exist.', [
    {
      field,
      value,
      location: 'path',
      issue: 'INVALID_RESOURCE_ID',
      description: 'Specified resource ID does not exist. Please check the resource ID and try again.',
    },
  ]);

export const missing = (field: string): ErrorDetail => ({
  field,
  location: 'body',
  issue: 'MISSING_REQUIRED_PARAMETER',
  description: 'A required field / parameter is missing.',
});
export const syntax = (field: string, value: string): ErrorDetail => ({
  field,
  value,
  location: 'body',
  issue: 'INVALID_PARAMETER_SYNTAX',
  description: 'The value of a field does not conform to the expected format.',
});

const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** PayPal ids look like "5O190127TN364715T": upper-case letters and digits. */
export function paypalId(length: number): string {
  let out = '';
  for (const byte of randomBytes(length)) out += UPPER_ALPHANUMERIC[byte % UPPER_ALPHANUMERIC.length];
  return out;
}

/** A new debug id, as PayPal-Debug-Id and every error body carry one. */
export const debugId = () => randomBytes(7).toString('hex').slice(0, 13);

/** PayPal's error body: `{name, message, debug_id, details: [{field, value, location, issue, description}], links}`. */
export function errorBody(err: PaypalApiError, id = debugId()) {
  const issue = err.details[0]?.issue;
  return {
    name: err.errorName,
    message: err.message,
    debug_id: id,
    ...(err.details.length ? { details: err.details } : {}),
    links: [
      {
        href: `https://developer.paypal.com/docs/api/orders/v2/#error-${issue ?? err.errorName}`,
        rel: 'information_link',
        method: 'GET',
      },
    ],
  };
}

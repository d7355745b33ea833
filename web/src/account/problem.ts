// The words of a failed call in the customer's space: the server's message (already in the person's language), or
// "no connection".
import { ApiError, NetworkError } from '../api.ts';
import type { accountTexts } from './texts.ts';

export function problemOf(err: unknown, t: (typeof accountTexts)['fr']): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof NetworkError) return t.offline;
  return t.error;
}

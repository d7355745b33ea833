// Request bodies as the sandbox servers read them: whole, up to a size limit, then decoded the way the provider's API decodes them.
import type { IncomingMessage } from 'node:http';

/** A body over the server's limit; each server answers it as its provider does (Netlify: 413, the others: a server failure). */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super('request body too large');
  }
}

/** The whole body; reading stops (and the request is destroyed) as soon as it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function readText(req: IncomingMessage, limit?: number): Promise<string> {
  return (await readBody(req, limit)).toString('utf8');
}

/** A blank body is `{}`; a body that is not a JSON object is undefined, and the caller answers as its provider does. */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // not JSON: undefined below
  }
  return undefined;
}

/** Key order must not matter when an idempotent retry is compared with the first request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The first value of a request header (Node joins some repeated headers, keeps others as arrays). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

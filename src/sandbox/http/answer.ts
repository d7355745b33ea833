// The answers the sandbox servers write: JSON, HTML pages, XML and redirects, each with the headers its provider sends.
import type { ServerResponse } from 'node:http';

export interface JsonOptions {
  headers?: Record<string, string>;
  /** default application/json */
  contentType?: string;
  /** indentation; Stripe pretty-prints its answers, the others send compact JSON */
  space?: number;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, opts: JsonOptions = {}): void {
  res.writeHead(status, { 'content-type': opts.contentType ?? 'application/json', ...opts.headers });
  res.end(JSON.stringify(body, null, opts.space));
}

/** Hosted pages are never cached: each visit shows the payment's current state. */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

export function sendXml(res: ServerResponse, xml: string): void {
  res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
  res.end(xml);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain', ...headers });
  res.end(text);
}

/** 303 See Other: what a hosted page answers a form post with, so the browser goes on with a GET. */
export function redirect(res: ServerResponse, location: string, status = 303): void {
  res.writeHead(status, { location });
  res.end();
}

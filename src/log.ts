// The structured logger: one JSON line per business event; secrets and message bodies are redacted.
import pino from 'pino';

export const redactPaths = [
  'password',
  '*.password',
  'token',
  '*.token',
  'trackingToken',
  '*.trackingToken',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'html',
  '*.html',
  'text',
  '*.text',
  'body',
  '*.body',
];

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info') {
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' }, base: { service: 'conciergerie' } });
}

export type Logger = pino.Logger;

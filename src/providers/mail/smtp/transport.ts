// Mail over SMTP with nodemailer, and the fallback that tries the next SMTP route when one cannot take the message.
import nodemailer, { type NodemailerError, type SMTPTransportOptions, type Transporter } from 'nodemailer';
import { ProviderError } from '../../../errors.ts';
import type { MailTransport, OutgoingEmail } from '../index.ts';

export interface SmtpTransportOptions {
  /** smtp://user:pass@host:port, or smtps:// for implicit TLS (port 465) */
  url: string;
  /** the From header, e.g. "Conciergerie <bonjour@conciergerie.example>" */
  from: string;
  /** how this route is called in logs and in FallbackMailTransport's answer; defaults to smtp:host:port */
  name?: string;
  /** limit for connecting, for the greeting and for each wait on the server */
  timeoutMs?: number;
}

/**
 * Error codes that say "this route cannot carry mail" rather than "this message is refused":
 * another route may well deliver it.
 */
export const ROUTE_ERROR_CODES: readonly string[] = ['auth', 'tls', 'config', 'policy'];

/** local@domain, nothing else: no display name, no second address, no quotes, no spaces or control characters. */
const SINGLE_ADDRESS = /^[^\s\p{Cc}"(),:;<>@[\\\]]+@[^\s\p{Cc}"(),:;<>@[\\\]]+$/u;

export class SmtpTransport implements MailTransport {
  readonly name: string;
  private readonly from: string;
  private readonly transporter: Transporter;

  constructor(opts: SmtpTransportOptions) {
    const url = new URL(opts.url);
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`not an SMTP URL: ${url.protocol}`);
    const timeoutMs = opts.timeoutMs ?? 15_000;
    this.name = opts.name ?? `smtp:${url.host}`;
    this.from = opts.from;
    // Built field by field rather than from the URL string, so query parameters cannot switch on another transport
    // or change how connections are kept.
    const options: SMTPTransportOptions = {
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : undefined,
      secure: url.protocol === 'smtps:',
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dnsTimeout: timeoutMs,
    };
    // A few connections kept open and reused (a connection and its greeting per email cost as much as the email):
    // one idle for socketTimeout is closed, one the server drops is replaced, and a message whose connection failed
    // fails retryably like any dropped connection (the outbox tries it again).
    this.transporter = nodemailer.createTransport({ ...options, pool: true, maxConnections: 5, maxMessages: 100 });
  }

  /** Close the kept connections (the process is stopping). */
  close(): void {
    this.transporter.close();
  }

  /** Connects, greets (EHLO) and authenticates when the URL carries credentials, sending nothing (`npm run doctor`). */
  async verify(): Promise<void> {
    try {
      await this.transporter.verify();
    } catch (err) {
      throw toProviderError(err as NodemailerError, this.name);
    }
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    // One plain address goes out, whatever intake let through: nodemailer reads "a@x.org\r\nBcc: b@y.org" as the recipient
    // b@y.org alone, and "a@x.org, b@y.org" as two (the message repeats neither)
    if (!SINGLE_ADDRESS.test(email.to)) throw new ProviderError('smtp', 'recipient_invalid', `${this.name}: the recipient is not one plain address`, false);
    try {
      const info = await this.transporter.sendMail({
        from: this.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        headers: email.headers,
        attachments: email.attachments,
      });
      return { messageId: info.messageId ?? email.messageId };
    } catch (err) {
      throw toProviderError(err as NodemailerError, this.name);
    }
  }
}

/** Sorts nodemailer's failures into "try again (maybe elsewhere)" and "this will not work". */
function toProviderError(err: NodemailerError, route: string): ProviderError {
  const status = err.responseCode;
  const message = `${route}: ${err.message}`;
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH') return new ProviderError('smtp', 'auth', message, false, undefined, status);
  if (err.code === 'ETLS' || err.code === 'EREQUIRETLS') return new ProviderError('smtp', 'tls', message, false, undefined, status);
  if (err.code === 'ECONFIG') return new ProviderError('smtp', 'config', message, false, undefined, status);
  if (status !== undefined && status >= 400 && status < 500) {
    return new ProviderError('smtp', 'temporary', message, true, undefined, status);
  }
  if (status !== undefined && status >= 500) {
    // 503 is "bad sequence of commands": the session went wrong, not the message.
    if (status === 503) return new ProviderError('smtp', 'temporary', message, true, undefined, status);
    // 5.7.x is the server's policy (relaying denied, sender not allowed): another route may accept.
    const policy = /\b5\.7\.\d{1,3}\b/.test(err.response ?? '');
    return new ProviderError('smtp', policy ? 'policy' : 'rejected', message, false, undefined, status);
  }
  // No SMTP reply at all: refused or dropped connection, timeout, DNS. The server may be back later.
  return new ProviderError('smtp', 'temporary', message, true);
}

/** Sends through the first route that takes the message; says which one did. */
export class FallbackMailTransport implements MailTransport {
  readonly name: string;

  constructor(private readonly routes: readonly MailTransport[]) {
    if (routes.length === 0) throw new Error('FallbackMailTransport needs at least one route');
    this.name = `fallback(${routes.map((r) => r.name).join(', ')})`;
  }

  close(): void {
    for (const route of this.routes) route.close?.();
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string; route: string }> {
    const failures: ProviderError[] = [];
    for (const route of this.routes) {
      try {
        const { messageId } = await route.send(email);
        return { messageId, route: route.name };
      } catch (err) {
        // Anything but a provider's own failure is a bug; hiding it behind another route would not help.
        if (!(err instanceof ProviderError)) throw err;
        // A refused message (bad recipient, content) would be refused by the next route too.
        if (!err.retryable && !ROUTE_ERROR_CODES.includes(err.code)) throw err;
        failures.push(err);
      }
    }
    if (failures.length === 1) throw failures[0];
    // The whole send may succeed later if any route failed for a passing reason.
    const retryable = failures.some((f) => f.retryable);
    const retryAfterMs = failures.find((f) => f.retryAfterMs !== undefined)?.retryAfterMs;
    throw new ProviderError('mail', 'all_routes_failed', failures.map((f) => f.message).join('; '), retryable, retryAfterMs);
  }
}

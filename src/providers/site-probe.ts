// A customer's site as a visitor sees it: its name resolved once, HTTPS by name (SNI and Host) with the certificate checked, the home page and the HTTP redirect read. The verify step, publish verification and monitoring all look through here.
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { NameResolver } from './dns/resolver.ts';
import { isPublicAddress } from './safe-url.ts';
import { trusting } from './trust.ts';

/** Where the sites are reached: the sandbox edge's ports and CA, or 80/443 and the system's CAs. */
export interface Edge {
  httpPort: number;
  httpsPort: number;
  /** extra CA to trust (the sandbox CA); undefined trusts the system's */
  ca?: string;
}

/** What a probe needs from the running system (Deps has all of it). */
export interface ProbeWorld {
  resolver: Pick<NameResolver, 'resolve4'>;
  edge: Edge;
  /** sandbox hosting serves from loopback: only there may a probe connect to a non-public address */
  config: { sandbox: { hosting: boolean } };
}

export interface ProbeOptions {
  timeoutMs: number;
  /** who is looking, as the site's logs will say (the verifier by default) */
  userAgent?: string;
  /** the home page must answer 200 with this in it (our deploy, not a parking page; a given version); otherwise any 2xx or 3xx will do */
  marker?: string;
  /** plain HTTP must also redirect to https://<domain> */
  redirect?: boolean;
}

/** What one probe saw. */
export interface SiteProbe {
  /** every check asked for passed */
  up: boolean;
  /** what is wrong, in words for logs and the timeline; empty when up */
  problems: string[];
  /** the address DNS gave, the one connected to */
  address?: string;
  httpsStatus?: number;
  httpStatus?: number;
  /** the HTTPS request alone */
  httpsMs?: number;
  /** from the start (name lookup included) to the HTTPS answer, or to the failure */
  latencyMs: number;
  /** notAfter of the certificate the TLS handshake presented */
  certExpiresAt?: Date;
}

/**
 * One agent for every HTTPS probe of this process: keep-alive sockets are reused when a site is looked at again while
 * its connection is open, and sockets per site are bounded. Its pools are keyed by address, port, SNI name and CA, so
 * sites never share a connection. No TLS session cache: a resumed session shows the certificate of the handshake it
 * resumes, so a renewed (or replaced) certificate would go unseen for as long as the server accepts the old ticket.
 */
const agent = new https.Agent({
  keepAlive: true,
  keepAliveMsecs: 1_000,
  maxSockets: 2,
  maxFreeSockets: 512,
  scheduling: 'lifo',
  timeout: 30_000,
  maxCachedSessions: 0,
});

/** A body is read up to this much; a marker further down is not looked for. */
const MAX_BODY_CHARS = 1_000_000;

export interface Page {
  status: number;
  location?: string;
  /** the body ('' when drained unread) */
  body: string;
  certExpiresAt?: Date;
}

export interface VisitOptions {
  tls: boolean;
  /** where to connect: the address resolved (and checked) before, never the name again */
  address: string;
  port: number;
  /** the site's name, in Host and SNI; the certificate must cover it */
  host: string;
  ca?: string;
  /** default 10 s */
  timeoutMs?: number;
  userAgent?: string;
  /** false: the body is drained unread (default: kept, up to a megabyte) */
  readBody?: boolean;
}

/** One GET of `/` at `address` for `host`; TLS checks the name against the trusted CAs. */
export function fetchVia(opts: VisitOptions, retried = false): Promise<Page> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const readBody = opts.readBody ?? true;
  return new Promise((resolve, reject) => {
    const lib = opts.tls ? https : http;
    const req = lib.request(
      {
        host: opts.address,
        port: opts.port,
        path: '/',
        method: 'GET',
        headers: { host: opts.host, 'user-agent': opts.userAgent ?? 'Conciergerie-Verifier/1.0' },
        ...(opts.tls
          ? {
              agent,
              servername: opts.host,
              // the trusted CAs' context, built once (tls.connect takes it; node's types for a request do not list it); `ca`
              // stays too, so that a kept-alive socket is only reused for a request trusting the same CA (an agent's key)
              ca: opts.ca,
              secureContext: trusting(opts.ca),
            }
          : {}),
        timeout: timeoutMs,
      } as https.RequestOptions,
      (res) => {
        const cert = opts.tls ? (res.socket as TLSSocket).getPeerCertificate?.() : undefined;
        const expires = cert?.valid_to ? new Date(cert.valid_to) : undefined;
        const page: Page = { status: res.statusCode ?? 0, location: res.headers.location, body: '' };
        if (expires && !Number.isNaN(expires.getTime())) page.certExpiresAt = expires;
        if (readBody) {
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            if (page.body.length < MAX_BODY_CHARS) page.body += c;
          });
        } else res.resume(); // drained, so that the socket can go back to the pool
        res.on('end', () => resolve(page));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      // a kept-alive socket the server closed meanwhile: one fresh try, as node's documentation advises
      if (!retried && req.reusedSocket && err.code === 'ECONNRESET') fetchVia(opts, true).then(resolve, reject);
      else reject(err);
    });
    req.end();
  });
}

/**
 * Look at `domain` as a visitor would: resolve it once through our resolver, refuse a non-public address outside the
 * sandbox (the customer's DNS decides where we connect), then GET / over HTTPS with the name as SNI and Host and the
 * certificate checked, and, when asked, over plain HTTP for the redirect to HTTPS.
 */
export async function probeSite(world: ProbeWorld, domain: string, opts: ProbeOptions): Promise<SiteProbe> {
  const started = performance.now();
  const since = (from: number) => Math.round(performance.now() - from);
  const problems: string[] = [];
  let address: string | undefined;
  try {
    [address] = await world.resolver.resolve4(domain);
    if (!address) throw new Error('no A record');
    if (!world.config.sandbox.hosting && !isPublicAddress(address)) throw new Error(`${address} is not a public address`);
    const { edge } = world;
    const visit = { address, host: domain, ca: edge.ca, timeoutMs: opts.timeoutMs, userAgent: opts.userAgent };
    const httpsStarted = performance.now();
    const secure = await fetchVia({ ...visit, tls: true, port: edge.httpsPort, readBody: opts.marker !== undefined });
    const probe: SiteProbe = {
      up: false,
      problems,
      address,
      httpsStatus: secure.status,
      httpsMs: since(httpsStarted),
      latencyMs: since(started),
      certExpiresAt: secure.certExpiresAt,
    };
    const answered = opts.marker === undefined ? secure.status >= 200 && secure.status < 400 : secure.status === 200;
    if (!answered) problems.push(`https status ${secure.status}`);
    else if (opts.marker !== undefined && !secure.body.includes(opts.marker)) problems.push('https answers with other content');
    if (opts.redirect) {
      const plain = await fetchVia({ ...visit, tls: false, port: edge.httpPort, readBody: false });
      probe.httpStatus = plain.status;
      const redirects = [301, 302, 307, 308].includes(plain.status) && (plain.location ?? '').startsWith(`https://${domain}`);
      if (!redirects) problems.push(`http answers ${plain.status} ${plain.location ?? ''}`.trim());
    }
    probe.up = problems.length === 0;
    return probe;
  } catch (err) {
    problems.push(failure(err));
    return { up: false, problems, address, latencyMs: since(started) };
  }
}

/** A failure in words, with the system's code (ECONNREFUSED, CERT_HAS_EXPIRED...) when the message does not say it. */
function failure(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const message = e?.message ?? String(err);
  return (e?.code && !message.includes(e.code) ? `${e.code}: ${message}` : message).slice(0, 300);
}

// whois availability source (RFC 3912, through whoiser): the fallback where RDAP has no server or does not answer.
import { domain as whoisDomain, query as whoisQuery } from 'whoiser';
import { ProviderError } from '../../../errors.ts';
import type { AvailabilityAnswer, AvailabilitySource } from '../index.ts';

export interface WhoisSourceOptions {
  /** every query goes to this server (the sandbox); unset, whoiser finds each TLD's server */
  server?: { host: string; port: number };
  timeoutMs: number;
}

export type WhoisVerdict = 'available' | 'registered' | 'busy' | 'empty' | 'unparseable';

// whois has no standard format: each registry words "free" its own way. Anchored to line starts so
// that a legal notice mentioning these words does not count.
const AVAILABLE = [
  /^\s*no match\b/im, // Verisign: No match for "EXAMPLE.COM".
  /^\s*%*\s*not found\b/im, // NOT FOUND (many); AFNIC: %% NOT FOUND
  /^\s*no data found\b/im, // Identity Digital
  /^\s*status:\s*(free|available)\b/im, // DENIC: Status: free; EURid: Status: AVAILABLE
  /^\s*%*\s*no entries found\b/im,
  /^\s*domain not found\b/im,
  /^\s*no object found\b/im,
  /\bthe queried object does not exist\b/i,
];
const REGISTERED = [/^\s*domain(?: name)?:\s*\S/im, /^\s*registrar:\s*\S/im, /^\s*(creation date|created|registered on|registration time):\s*\S/im];
const BUSY = [/^\s*%*\s*error\b/im, /\b(rate limit|query limit|limit exceeded|too many (queries|requests)|try again later)\b/i];

/** What a whois answer says about a name. */
export function readWhoisAnswer(text: string): WhoisVerdict {
  if (text.trim() === '') return 'empty';
  if (AVAILABLE.some((re) => re.test(text))) return 'available';
  if (REGISTERED.some((re) => re.test(text))) return 'registered';
  if (BUSY.some((re) => re.test(text))) return 'busy';
  return 'unparseable';
}

export class WhoisSource implements AvailabilitySource {
  readonly name = 'whois' as const;

  constructor(private readonly opts: WhoisSourceOptions) {}

  /** Nearly every TLD has a whois server, and the sandbox server answers for all of them. */
  supports(_tld: string): boolean {
    return true;
  }

  async check(domain: string, signal?: AbortSignal): Promise<AvailabilityAnswer> {
    if (signal?.aborted) throw new ProviderError('whois', 'aborted', `${domain}: check abandoned`, true);
    let text: string;
    try {
      text = await within(this.ask(domain), this.opts.timeoutMs, signal);
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      const message = (err as Error).message;
      throw new ProviderError('whois', /timeout/i.test(message) ? 'timeout' : 'network', `${domain}: ${message}`, true);
    }
    switch (readWhoisAnswer(text)) {
      case 'available':
        return { domain, available: true, source: 'whois' };
      case 'registered':
        return { domain, available: false, source: 'whois' };
      case 'busy':
        throw new ProviderError('whois', 'server_error', `${domain}: ${firstLine(text)}`, true);
      case 'empty':
        throw new ProviderError('whois', 'empty_answer', `${domain}: the server closed without answering`, true);
      case 'unparseable':
        throw new ProviderError('whois', 'unparseable', `${domain}: ${firstLine(text)}`, false);
    }
  }

  private async ask(domain: string): Promise<string> {
    const { server, timeoutMs } = this.opts;
    // whoiser.domain() takes a host but no port, so a given server is asked with its lower-level query().
    if (server) return whoisQuery({ host: server.host, port: server.port, query: domain, timeout: timeoutMs });
    // follow: 1 stops at the registry, which is the one that knows whether the name exists.
    const results = await whoisDomain(domain, { follow: 1, timeout: timeoutMs, raw: true });
    const first = Object.values(results)[0] as { __raw?: unknown; error?: unknown } | undefined;
    if (typeof first?.__raw !== 'string') throw new Error(String(first?.error ?? 'no whois server answered'));
    return first.__raw;
  }
}

/**
 * whoiser cannot be cancelled: stop waiting at the deadline or on abort. Its socket then closes on
 * its own idle timeout (the same timeoutMs), so an abandoned query costs a socket for that long at most.
 */
function within<T>(work: Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = () => finish(() => reject(new ProviderError('whois', 'aborted', 'check abandoned', true)));
    const timer = setTimeout(() => finish(() => reject(new ProviderError('whois', 'timeout', `no answer within ${ms} ms`, true))), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => finish(() => resolve(v)),
      (e) => finish(() => reject(e)),
    );
  });
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0].slice(0, 200);
}

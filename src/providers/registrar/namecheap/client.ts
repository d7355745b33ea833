// The Namecheap XML API adapter behind the Registrar interface: check, buy, point DNS, read a domain's state.
import { XMLParser } from 'fast-xml-parser';
import { getDomainWithoutSuffix, getPublicSuffix } from 'tldts';
import { ProviderError } from '../../../errors.ts';
import { type HttpClientOptions, ProviderHttp } from '../../http.ts';
import type { Contact, DomainInfo, DomainRegistration, EmailForward, EmailType, HostRecord, Registrar, RegistrarCheck } from '../index.ts';

/** timeoutMs: per call, default 15 s (domains.create can take several seconds on the live API) */
export interface NamecheapRegistrarOptions extends HttpClientOptions {
  /** https://api.namecheap.com/xml.response, https://api.sandbox.namecheap.com/xml.response, or a sandbox URL + /xml.response */
  baseUrl: string;
  apiUser: string;
  apiKey: string;
  userName: string;
  /** the IPv4 address whitelisted on the Namecheap account */
  clientIp: string;
}

/** domains.check takes at most this many names per call. */
const MAX_NAMES_PER_CHECK = 50;

/** Shortest throttling window Namecheap publishes is one minute (20/min, 700/h, 8000/day). */
const RATE_LIMIT_BACKOFF_MS = 60_000;

/** Error numbers whose meaning the workflow acts on; the rest are read by range (see classify). */
const KNOWN_ERRORS: Record<number, { code: string; retryable: boolean }> = {
  500000: { code: 'rate_limited', retryable: true },
  // global errors: the calling address is not whitelisted (or is locked) on the account
  1011150: { code: 'ip_not_whitelisted', retryable: false },
  1017150: { code: 'ip_not_whitelisted', retryable: false },
  1050900: { code: 'server_error', retryable: true },
  3019166: { code: 'domain_unavailable', retryable: false },
  4019166: { code: 'domain_unavailable', retryable: false },
  2030280: { code: 'unsupported_tld', retryable: false },
  2011280: { code: 'unsupported_tld', retryable: false },
  2019166: { code: 'domain_not_found', retryable: false },
  2016166: { code: 'not_owner', retryable: false },
  2030166: { code: 'not_owner', retryable: false },
  2528166: { code: 'order_failed', retryable: false },
  2033409: { code: 'order_failed', retryable: false },
};

/**
 * Namecheap numbers its errors by family: 1xxxxxx the global parameters (credentials, IP
 * whitelist), 2xxxxxx the request's own validation, 3xxxxxx and 4xxxxxx failures behind the
 * API (the upstream registry, internal steps), 5xxxxxx unhandled exceptions.
 */
function classify(number: number): { code: string; retryable: boolean } {
  const known = KNOWN_ERRORS[number];
  if (known) return known;
  const family = Math.floor(number / 1_000_000);
  if (family === 1) return { code: 'auth_failed', retryable: false };
  if (family === 2) return { code: 'invalid_request', retryable: false };
  return { code: 'server_error', retryable: true };
}

export class NamecheapRegistrar implements Registrar {
  readonly name = 'namecheap';
  private readonly http: ProviderHttp;
  private readonly parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    removeNSPrefix: true,
    parseAttributeValue: false,
    parseTagValue: false,
    textNodeName: '#text',
    isArray: (tag) => ['Error', 'DomainCheckResult', 'host', 'Host', 'Nameserver', 'Forward'].includes(tag),
  });

  constructor(private readonly opts: NamecheapRegistrarOptions) {
    this.http = new ProviderHttp('namecheap', opts, {
      defaultTimeoutMs: 15_000,
      secrets: () => [opts.apiKey],
      dialect: {
        message: (answer) => `HTTP ${answer.status}`,
        // a refusal from in front of the API says nothing of our credentials or of the name asked for
        refine: (_answer, base) => (base.retryable ? undefined : { code: 'invalid_request' }),
        rateLimitWait: () => RATE_LIMIT_BACKOFF_MS,
      },
    });
  }

  async check(domains: string[], signal?: AbortSignal): Promise<RegistrarCheck[]> {
    const names = [...new Set(domains.map((d) => d.trim().toLowerCase()).filter(Boolean))];
    const answers = new Map<string, RegistrarCheck>();
    for (let i = 0; i < names.length; i += MAX_NAMES_PER_CHECK) {
      for (const result of await this.checkBatch(names.slice(i, i + MAX_NAMES_PER_CHECK), signal)) {
        answers.set(result.domain, result);
      }
    }
    return domains.map((d) => {
      const domain = d.trim().toLowerCase();
      return answers.get(domain) ?? { domain, available: false, premium: false, errorCode: 'no_answer' };
    });
  }

  /** One domains.check call. */
  private async checkBatch(names: string[], signal?: AbortSignal): Promise<RegistrarCheck[]> {
    try {
      const response = await this.call('namecheap.domains.check', { DomainList: names.join(',') }, { signal });
      return asArray(response.DomainCheckResult).map(toCheck);
    } catch (err) {
      if (!(err instanceof ProviderError && err.code === 'unsupported_tld')) throw err;
      // Should the API refuse a whole list for one unsupported TLD (rather than per name), ask
      // again TLD by TLD so that the other names still get an answer: a handful of calls at most.
      const byTld = new Map<string, string[]>();
      for (const n of names) {
        const { tld } = splitDomain(n);
        byTld.set(tld, [...(byTld.get(tld) ?? []), n]);
      }
      if (byTld.size === 1) {
        return names.map((domain) => ({ domain, available: false, premium: false, errorCode: 'unsupported_tld' }));
      }
      const results: RegistrarCheck[] = [];
      for (const group of byTld.values()) results.push(...(await this.checkBatch(group, signal)));
      return results;
    }
  }

  async create(input: { domain: string; years: number; contact: Contact; idempotencyKey: string }): Promise<DomainRegistration> {
    const domain = input.domain.trim().toLowerCase();
    // The check says whether the name is premium (Namecheap refuses a premium name unless the
    // call confirms its price) and whether it is still free.
    const [quote] = await this.check([domain]);
    if (quote.errorCode) {
      throw new ProviderError('namecheap', quote.errorCode, `${domain}: the registrar cannot sell this name`, false);
    }
    if (!quote.available) return this.recoverOwnPurchase(domain);

    const params: Record<string, string> = {
      DomainName: domain,
      Years: String(input.years),
      ...contactParams(input.contact),
      AddFreeWhoisguard: 'yes',
      WGEnabled: 'yes',
    };
    if (quote.premium && quote.premiumPriceCents !== undefined) {
      params.IsPremiumDomain = 'true';
      params.PremiumPrice = centsToDecimal(quote.premiumPriceCents);
      params.EapFee = '0';
    }
    try {
      // X-Idempotency-Key is a sandbox extension; the live API ignores the header.
      const response = await this.call('namecheap.domains.create', params, {
        headers: { 'x-idempotency-key': input.idempotencyKey },
      });
      const r = response.DomainCreateResult ?? {};
      if (r.Registered !== 'true') {
        throw new ProviderError('namecheap', 'order_failed', `${domain}: create answered Registered="${r.Registered}"`, false);
      }
      return {
        domain: String(r.Domain ?? domain).toLowerCase(),
        registered: true,
        domainId: String(r.DomainID),
        orderId: r.OrderID === undefined ? undefined : String(r.OrderID),
        transactionId: r.TransactionID === undefined ? undefined : String(r.TransactionID),
        chargedAmountCents: parseDecimalCents(String(r.ChargedAmount ?? '')),
      };
    } catch (err) {
      if (err instanceof ProviderError && err.code === 'domain_unavailable') return this.recoverOwnPurchase(domain);
      throw err;
    }
  }

  /**
   * The live API has no idempotency key: when a purchase's answer was lost (timeout, dropped
   * connection) and the step retries, the name now reads "not available" because we bought
   * it. Ownership, as domains.getInfo reports it, is the evidence that this is our earlier
   * purchase rather than someone else's. The order step guarantees one order per name.
   */
  private async recoverOwnPurchase(domain: string): Promise<DomainRegistration> {
    const own = await this.findOwn(domain);
    if (!own) throw new ProviderError('namecheap', 'domain_unavailable', `${domain} is not available`, false);
    this.opts.logger?.warn({ domain, domainId: own.domainId }, 'namecheap: name already in our account; treating it as our earlier purchase');
    return own;
  }

  async findOwn(domain: string): Promise<DomainRegistration | undefined> {
    const name = domain.trim().toLowerCase();
    // biome-ignore lint/suspicious/noExplicitAny: parsed XML has no static shape; each field is checked where read
    let info: Record<string, any>;
    try {
      info = (await this.call('namecheap.domains.getInfo', { DomainName: name })).DomainGetInfoResult ?? {};
    } catch (err) {
      if (err instanceof ProviderError && (err.code === 'domain_not_found' || err.code === 'not_owner')) return undefined;
      throw err;
    }
    return info.IsOwner === 'true' ? { domain: name, registered: true, domainId: String(info.ID) } : undefined;
  }

  async setHosts(domain: string, records: HostRecord[]): Promise<void> {
    // Namecheap drops MX records unless the call says the domain's mail goes to MX hosts.
    const emailType: EmailType | undefined = records.some((r) => r.type === 'MX') ? 'MX' : records.some((r) => r.type === 'MXE') ? 'MXE' : undefined;
    await this.sendHosts(domain, records, emailType);
  }

  async writeHosts(domain: string, records: HostRecord[], emailType: EmailType): Promise<void> {
    await this.sendHosts(domain, records, emailType);
  }

  /** setHosts: the records given replace all the others; EmailType (MX, MXE, FWD, OX) says where the email goes. */
  private async sendHosts(domain: string, records: HostRecord[], emailType: EmailType | undefined): Promise<void> {
    const { sld, tld } = splitDomain(domain);
    const params: Record<string, string> = { SLD: sld, TLD: tld };
    records.forEach((r, i) => {
      const n = i + 1;
      params[`HostName${n}`] = r.name;
      params[`RecordType${n}`] = r.type;
      params[`Address${n}`] = r.address;
      params[`TTL${n}`] = String(r.ttl ?? 1800);
      if (r.type === 'MX') params[`MXPref${n}`] = String(r.mxPref ?? 10);
    });
    if (emailType && emailType !== 'NONE') params.EmailType = emailType;
    const response = await this.call('namecheap.domains.dns.setHosts', params);
    if (response.DomainDNSSetHostsResult?.IsSuccess !== 'true') {
      throw new ProviderError('namecheap', 'server_error', `${domain}: setHosts did not report success`, true);
    }
  }

  async getHosts(domain: string): Promise<HostRecord[]> {
    return (await this.readHosts(domain)).records;
  }

  async readHosts(domain: string): Promise<{ records: HostRecord[]; emailType: EmailType }> {
    const { sld, tld } = splitDomain(domain);
    const result = (await this.call('namecheap.domains.dns.getHosts', { SLD: sld, TLD: tld })).DomainDNSGetHostsResult ?? {};
    // The live API writes <host>; its documentation writes <Host>.
    const records = [...asArray(result.host), ...asArray(result.Host)].map((h) => {
      const record: HostRecord = {
        name: String(h.Name),
        type: String(h.Type).toUpperCase() as HostRecord['type'],
        address: String(h.Address),
        ttl: Number(h.TTL),
      };
      if (record.type === 'MX') record.mxPref = Number(h.MXPref);
      return record;
    });
    const type = String(result.EmailType ?? '').toUpperCase();
    const emailType: EmailType = (['MX', 'MXE', 'FWD', 'OX'] as const).find((t) => t === type) ?? 'NONE';
    return { records, emailType };
  }

  // namecheap.domains.dns.getEmailForwarding (methods/domains-dns/get-email-forwarding): <Forward mailbox="x">to</Forward>
  async getEmailForwarding(domain: string): Promise<EmailForward[]> {
    const name = domain.trim().toLowerCase();
    const result = (await this.call('namecheap.domains.dns.getEmailForwarding', { DomainName: name })).DomainDNSGetEmailForwardingResult ?? {};
    return asArray(result.Forward).map((f: Record<string, string>) => ({ mailbox: String(f.mailbox), forwardTo: String(f['#text'] ?? '') }));
  }

  // namecheap.domains.dns.setEmailForwarding (methods/domains-dns/set-email-forwarding): MailBox[n] and ForwardTo[n]
  async setEmailForwarding(domain: string, forwards: EmailForward[]): Promise<void> {
    const params: Record<string, string> = { DomainName: domain.trim().toLowerCase() };
    forwards.forEach((f, i) => {
      params[`MailBox${i + 1}`] = f.mailbox;
      params[`ForwardTo${i + 1}`] = f.forwardTo;
    });
    const response = await this.call('namecheap.domains.dns.setEmailForwarding', params);
    if (response.DomainDNSSetEmailForwardingResult?.IsSuccess !== 'true') {
      throw new ProviderError('namecheap', 'server_error', `${domain}: setEmailForwarding did not report success`, true);
    }
  }

  async getInfo(domain: string): Promise<DomainInfo> {
    const name = domain.trim().toLowerCase();
    const info = (await this.call('namecheap.domains.getInfo', { DomainName: name })).DomainGetInfoResult ?? {};
    return {
      domain: String(info.DomainName ?? name).toLowerCase(),
      status: String(info.Status ?? ''),
      createdAt: isoDate(info.DomainDetails?.CreatedDate),
      expiresAt: isoDate(info.DomainDetails?.ExpiredDate),
      dnsProvider: String(info.DnsDetails?.ProviderType ?? ''),
    };
  }

  /** namecheap.users.getBalances: what the account can spend (Namecheap balances are in US dollars). A read. */
  async getBalances(): Promise<{ currency: string; availableCents: number; accountCents: number }> {
    const r = (await this.call('namecheap.users.getBalances', {})).UserGetBalancesResult ?? {};
    const available = parseDecimalCents(String(r.AvailableBalance ?? ''));
    const account = parseDecimalCents(String(r.AccountBalance ?? ''));
    if (available === undefined || account === undefined) {
      throw new ProviderError('namecheap', 'server_error', 'users.getBalances answered without a readable balance', true);
    }
    return { currency: String(r.Currency ?? 'USD'), availableCents: available, accountCents: account };
  }

  /**
   * One API call. POST for every command: Namecheap recommends it for create and setHosts,
   * and it keeps the ApiKey out of URLs and access logs. Returns the parsed <CommandResponse>.
   */
  private async call(
    command: string,
    params: Record<string, string>,
    extra: { signal?: AbortSignal; headers?: Record<string, string> } = {},
    // biome-ignore lint/suspicious/noExplicitAny: parsed XML has no static shape; each field is checked where read
  ): Promise<Record<string, any>> {
    const body = new URLSearchParams({
      ApiUser: this.opts.apiUser,
      ApiKey: this.opts.apiKey,
      UserName: this.opts.userName,
      ClientIp: this.opts.clientIp,
      Command: command,
      ...params,
    });
    const answer = await this.http.send({
      method: 'POST',
      url: this.opts.baseUrl,
      operation: command,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...extra.headers },
      body,
      signal: extra.signal,
    });
    // The live API answers 200 even when throttling or refusing; another status comes from something in front of it.
    if (answer.status !== 200) throw this.http.failure(answer);

    // biome-ignore lint/suspicious/noExplicitAny: parsed XML has no static shape; each field is checked where read
    let parsed: Record<string, any>;
    try {
      parsed = this.parser.parse(answer.text);
    } catch {
      parsed = {};
    }
    const api = parsed.ApiResponse;
    if (!api || (api.Status !== 'OK' && api.Status !== 'ERROR')) {
      throw new ProviderError('namecheap', 'server_error', `${command}: the answer is not an ApiResponse`, true, undefined, 200);
    }
    if (api.Status === 'ERROR') {
      const first = asArray(api.Errors?.Error)[0] ?? {};
      const number = Number(first.Number);
      const message = String(first['#text'] ?? 'unknown error');
      const { code, retryable } = classify(Number.isFinite(number) ? number : 5_000_000);
      throw new ProviderError(
        'namecheap',
        code,
        this.http.redact(`${command}: ${number} ${message}`),
        retryable,
        code === 'rate_limited' ? RATE_LIMIT_BACKOFF_MS : undefined,
        200,
      );
    }
    return typeof api.CommandResponse === 'object' && api.CommandResponse !== null ? api.CommandResponse : {};
  }
}

// ---- helpers ---------------------------------------------------------------------------

/**
 * Namecheap wants the name in two parts. The TLD is the public suffix, so "atelier.co.uk"
 * is SLD "atelier" + TLD "co.uk", not "atelier.co" + "uk".
 */
export function splitDomain(domain: string): { sld: string; tld: string } {
  const name = domain.trim().toLowerCase().replace(/\.$/, '');
  const tld = getPublicSuffix(name);
  const sld = getDomainWithoutSuffix(name);
  if (tld && sld) return { sld, tld };
  const dot = name.indexOf('.');
  return { sld: name.slice(0, dot), tld: name.slice(dot + 1) };
}

/**
 * "2500.00" → 250000, "13000.0000" → 1300000, "206.7" → 20670: read as decimal text, never
 * multiplied as a float. A third decimal rounds half up. Undefined when the text is no price.
 */
export function parseDecimalCents(text: string): number | undefined {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return undefined;
  const frac = (m[2] ?? '').padEnd(3, '0');
  return Number(m[1]) * 100 + Number(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1 : 0);
}

function centsToDecimal(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

function toCheck(r: Record<string, string>): RegistrarCheck {
  const errorNo = Number(r.ErrorNo ?? '0');
  const premium = r.IsPremiumName === 'true';
  const check: RegistrarCheck = {
    domain: String(r.Domain).toLowerCase(),
    available: r.Available === 'true' && !errorNo,
    premium,
  };
  if (premium) {
    check.premiumPriceCents = parseDecimalCents(r.PremiumRegistrationPrice ?? '');
    check.premiumRenewalCents = parseDecimalCents(r.PremiumRenewalPrice ?? '');
  }
  if (errorNo) check.errorCode = classify(errorNo).code;
  return check;
}

/** The four contact sets Namecheap requires; the customer is all four. */
function contactParams(c: Contact): Record<string, string> {
  const out: Record<string, string> = {};
  for (const role of ['Registrant', 'Tech', 'Admin', 'AuxBilling']) {
    out[`${role}FirstName`] = c.firstName;
    out[`${role}LastName`] = c.lastName;
    if (c.organization) out[`${role}OrganizationName`] = c.organization;
    out[`${role}Address1`] = c.address1;
    out[`${role}City`] = c.city;
    out[`${role}StateProvince`] = c.stateProvince;
    out[`${role}PostalCode`] = c.postalCode;
    out[`${role}Country`] = c.country;
    out[`${role}Phone`] = c.phone;
    out[`${role}EmailAddress`] = c.email;
  }
  return out;
}

/** Namecheap's MM/DD/YYYY → YYYY-MM-DD. */
function isoDate(usDate: unknown): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(String(usDate ?? '').trim());
  return m ? `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}` : '';
}

function asArray<T>(v: T | T[] | undefined | ''): T[] {
  if (v === undefined || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

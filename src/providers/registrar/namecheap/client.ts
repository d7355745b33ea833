// The Namecheap XML API adapter behind the Registrar interface: check, buy, point DNS, read a domain's state.
import { XMLParser } from 'fast-xml-parser';
import { ProviderError } from '../../../errors.ts';
import { type HttpClientOptions, ProviderHttp } from '../../http.ts';
import type {
  CreateInput,
  DomainContacts,
  DomainInfo,
  DomainListPage,
  DomainRegistration,
  DomainRenewal,
  EmailForward,
  EmailType,
  HostRecord,
  Registrar,
  RegistrarCheck,
} from '../index.ts';
import {
  asArray,
  centsToDecimal,
  classify,
  contactParams,
  domainContactParams,
  isoDate,
  parseDecimalCents,
  premium,
  renewalOf,
  splitDomain,
  toCheck,
  toContact,
  toListed,
} from './wire.ts';
import { reactivatePricing } from './pricing.ts';

export { parseDecimalCents, splitDomain } from './wire.ts';

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

/**
 * Namecheap answers HTTP 405 when it throttles, before it runs the command: the official SDK retries it, even for the
 * charge-bearing domains.create (namecheap/go-namecheap-sdk transport.go: "HTTP 405, which Namecheap uses to signal
 * rate limiting"; README "only Namecheap's pre-execution HTTP 405 rate-limit signal is retried"), first after 1 s
 * (namecheap.go since commit 010c522: syncretry Delays 1, 5, 15, 30, 50 s). The budgeted registrar (../budget.ts)
 * waits and retries it with those delays.
 */
export const THROTTLE_STATUS = 405;

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
    isArray: (tag, jpath) =>
      ['Error', 'DomainCheckResult', 'host', 'Host', 'Nameserver', 'Forward', 'ProductCategory', 'Product', 'Price'].includes(tag) ||
      String(jpath).endsWith('DomainGetListResult.Domain'),
  });

  constructor(private readonly opts: NamecheapRegistrarOptions) {
    this.http = new ProviderHttp('namecheap', opts, {
      defaultTimeoutMs: 15_000,
      secrets: () => [opts.apiKey],
      dialect: {
        message: (answer) => `HTTP ${answer.status}`,
        // 405 is the API's throttle: it did not run the command, which may be sent again; any other refusal from in
        // front of the API says nothing of our credentials or of the name asked for
        refine: (answer, base) =>
          answer.status === THROTTLE_STATUS
            ? { code: 'rate_limited', retryable: true, retryAfterMs: 1_000 }
            : base.retryable
              ? undefined
              : { code: 'invalid_request' },
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
      return answers.get(domain) ?? { domain, available: false, premium: false, currency: 'USD', errorCode: 'no_answer' };
    });
  }

  /** One domains.check call. */
  private async checkBatch(names: string[], signal?: AbortSignal): Promise<RegistrarCheck[]> {
    try {
      const response = await this.call('namecheap.domains.check', { DomainList: names.join(',') }, { signal });
      return asArray(response.DomainCheckResult).map((r) => toCheck(r, classify));
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
        return names.map((domain) => ({ domain, available: false, premium: false, currency: 'USD', errorCode: 'unsupported_tld' }));
      }
      const results: RegistrarCheck[] = [];
      for (const group of byTld.values()) results.push(...(await this.checkBatch(group, signal)));
      return results;
    }
  }

  async create(input: CreateInput): Promise<DomainRegistration> {
    const domain = input.domain.trim().toLowerCase();
    // The check says whether the name is premium (Namecheap refuses a premium name unless the call confirms its
    // price) and whether it is still free; a caller that has just asked passes its answer instead.
    let quote = input.quote;
    if (!quote) {
      const [checked] = await this.check([domain]);
      if (checked.errorCode) {
        throw new ProviderError('namecheap', checked.errorCode, `${domain}: the registrar cannot sell this name`, false);
      }
      if (!checked.available) return this.recoverOwnPurchase(domain);
      quote = checked;
    }

    const params: Record<string, string> = {
      DomainName: domain,
      Years: String(input.years),
      ...contactParams(input.registrant, input.operator),
      ...input.attributes,
      // WhoisGuard is added (free) and turned on where the TLD allows a privacy service, and asked off where not
      AddFreeWhoisguard: input.privacy ? 'yes' : 'no',
      WGEnabled: input.privacy ? 'yes' : 'no',
    };
    // an IDN goes as punycode with its language code: "send the IdnCode parameter and provide the domain name in the
    // Punycode format ... as we do not support native code" (namecheap.com/support/api/methods/domains/create)
    if (input.idnCode) params.IdnCode = input.idnCode;
    if (quote.premium && quote.premiumPriceCents !== undefined) {
      params.IsPremiumDomain = 'true';
      params.PremiumPrice = centsToDecimal(quote.premiumPriceCents);
      // the fee the check reported, as create's EapFee takes it (the official SDK sends it with the premium price)
      params.EapFee = centsToDecimal(quote.eapFeeCents ?? 0);
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
      // a caller that passed its own quote looks for its earlier purchase itself, through its own (budgeted) registrar
      if (err instanceof ProviderError && err.code === 'domain_unavailable' && !input.quote) return this.recoverOwnPurchase(domain);
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

  /**
   * namecheap.domains.getList: one page of the account's registrations, oldest first so that a walk through the pages
   * is not shifted by names bought meanwhile (they come last). PageSize is 10 to 100 (methods/domains/get-list).
   */
  async getList(page: number, pageSize: number): Promise<DomainListPage> {
    const size = Math.min(100, Math.max(10, Math.floor(pageSize)));
    const r = await this.call('namecheap.domains.getList', { Page: String(Math.max(1, Math.floor(page))), PageSize: String(size), SortBy: 'CREATEDATE' });
    const paging = r.Paging ?? {};
    return {
      domains: asArray(r.DomainGetListResult?.Domain).map(toListed),
      page: Number(paging.CurrentPage ?? page),
      pageSize: Number(paging.PageSize ?? size),
      total: Number(paging.TotalItems ?? 0),
    };
  }

  /** namecheap.domains.getContacts: the four contacts the registrar holds for a name of ours. */
  async getContacts(domain: string) {
    const r = (await this.call('namecheap.domains.getContacts', { DomainName: domain.trim().toLowerCase() })).DomainContactsResult ?? {};
    return { registrant: toContact(r.Registrant), admin: toContact(r.Admin), tech: toContact(r.Tech), billing: toContact(r.AuxBilling) };
  }

  /** namecheap.domains.setContacts (methods/domains/set-contacts): all four contacts, each complete, replace the ones held. */
  async setContacts(domain: string, contacts: DomainContacts): Promise<void> {
    const r = (await this.call('namecheap.domains.setContacts', { DomainName: domain.trim().toLowerCase(), ...domainContactParams(contacts) }))
      .DomainSetContactResult;
    // the official SDK's fixture (namecheaptest/fixtures/domains_setContacts.xml): <DomainSetContactResult IsSuccess="true">
    if (r?.IsSuccess !== 'true') throw new ProviderError('namecheap', 'server_error', `${domain}: setContacts did not report success`, true);
  }

  /** namecheap.domains.getRegistrarLock (methods/domains/get-registrar-lock): RegistrarLockStatus "true" while locked. */
  async getRegistrarLock(domain: string): Promise<boolean> {
    const r = (await this.call('namecheap.domains.getRegistrarLock', { DomainName: domain.trim().toLowerCase() })).DomainGetRegistrarLockResult;
    return String(r?.RegistrarLockStatus).toLowerCase() === 'true';
  }

  /** namecheap.domains.setRegistrarLock (methods/domains/set-registrar-lock): LockAction LOCK or UNLOCK; IsSuccess. */
  async setRegistrarLock(domain: string, locked: boolean): Promise<void> {
    const params = { DomainName: domain.trim().toLowerCase(), LockAction: locked ? 'LOCK' : 'UNLOCK' };
    const r = (await this.call('namecheap.domains.setRegistrarLock', params)).DomainSetRegistrarLockResult;
    if (r?.IsSuccess !== 'true') throw new ProviderError('namecheap', 'server_error', `${domain}: setRegistrarLock did not report success`, true);
  }

  /**
   * namecheap.domains.renew (methods/domains/renew): DomainName, Years, and for a premium name IsPremiumDomain with its
   * PremiumPrice; the answer's DomainRenewResult carries DomainID, OrderID, TransactionID, ChargedAmount and the new
   * ExpiredDate. Namecheap keeps no idempotency key: the caller reads the expiry before renewing again.
   */
  async renew(domain: string, years: number, premiumPriceCents?: number): Promise<DomainRenewal> {
    const r =
      (await this.call('namecheap.domains.renew', { DomainName: domain.trim().toLowerCase(), Years: String(years), ...premium(premiumPriceCents) }))
        .DomainRenewResult ?? {};
    if (String(r.Renew).toLowerCase() !== 'true') throw new ProviderError('namecheap', 'renew_failed', `domains.renew did not renew ${domain}`, false);
    return renewalOf(domain, r, r.DomainDetails?.ExpiredDate);
  }

  /**
   * namecheap.domains.reactivate (methods/domains/reactivate): DomainName, YearsToAdd, and for a premium name
   * IsPremiumDomain with its PremiumPrice ("Reactivation price for the premium domain"); IsSuccess, ChargedAmount,
   * OrderID, TransactionID.
   */
  async reactivate(domain: string, years: number, premiumPriceCents?: number): Promise<DomainRenewal> {
    const r =
      (await this.call('namecheap.domains.reactivate', { DomainName: domain.trim().toLowerCase(), YearsToAdd: String(years), ...premium(premiumPriceCents) }))
        .DomainReactivateResult ?? {};
    if (String(r.IsSuccess).toLowerCase() !== 'true')
      throw new ProviderError('namecheap', 'renew_failed', `domains.reactivate did not reactivate ${domain}`, false);
    return renewalOf(domain, r, undefined);
  }

  /** what domains.reactivate charges for a year of a name restored from redemption (users.getPricing, kept an hour per TLD) */
  readonly reactivatePrice = reactivatePricing((params) => this.call('namecheap.users.getPricing', params));

  /** The adapter alone spends no shared budget: the budgeted registrar (../budget.ts) wraps it for that. */
  at(): Registrar {
    return this;
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

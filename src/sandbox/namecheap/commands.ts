// The Namecheap commands the sandbox answers, each as its page under namecheap.com/support/api/methods describes it:
// what it checks, what it answers. The endpoint, the global parameters and the rate limit are server.ts.
import type { IncomingMessage } from 'node:http';
import { header } from '../http/body.ts';
import { SANDBOX_TLDS, type SandboxHostRecord, type SandboxRegistration, type SandboxRegistry } from '../registry-state.ts';
import net from 'node:net';
import { ApiFailure, centsToDecimal, el, NamecheapErrorNumber as E, parseDecimalCents, usDate, usDateTime, type Params } from './api.ts';
import { checkHostRecord, EMAIL_TYPES, emailForwardingCommands } from './email-forwarding.ts';
import { checkIdn, checkRegistry } from './registries.ts';
import { checkContacts, CONTACT_ROLES, contactsOf, isLocked, transferCommands } from './transfer.ts';
import { getPricing, lapseOf, reactivatePriceCents, yearlyPriceCents } from './pricing.ts';

/** domains.check answers for at most this many names per call. */
export const MAX_NAMES_PER_CHECK = 50;

/** Record types setHosts accepts (the docs list A AAAA CNAME MX MXE TXT URL URL301 FRAME; the live API also takes ALIAS CAA NS). */
export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'MXE', 'TXT', 'URL', 'URL301', 'FRAME', 'ALIAS', 'CAA', 'NS'];

/** the extended attributes a purchase's parameters carry (namecheap.com/support/api/extended-attributes) */
const ATTRIBUTE = /^(FR|EU|US|CIRA|DE|UK|CO|ASIA)[A-Za-z]+$|^Registrant(Nexus|NexusCountry|Purpose)$/;

/** WhoisGuard is not offered for these TLDs (Namecheap's WHMCS module withholds it: their registries refuse a proxy registrant). */
const NO_PRIVACY_TLDS = ['eu', 'de', 'us', 'ca', 'co.uk', 'org.uk', 'me.uk', 'in', 'cn', 'bz', 'mobi', 'nu', 'ws'];

/** domains.getList's PageSize bounds and its sort orders (methods/domains/get-list). */
const PAGE_SIZE = { min: 10, max: 100, default: 20 };
const SORTS = ['NAME', 'NAME_DESC', 'EXPIREDATE', 'EXPIREDATE_DESC', 'CREATEDATE', 'CREATEDATE_DESC'];

/** Namecheap's BasicDNS servers, which a domain uses until told otherwise. */
const NAMECHEAP_NAMESERVERS = ['dns1.registrar-servers.com', 'dns2.registrar-servers.com'];

export type Command = (p: Params, req: IncomingMessage) => string;

export interface CommandContext {
  registry: SandboxRegistry;
  /** the account's user: owner of every name bought through this API */
  apiUser: string;
  /** price quoted for every premium-* name, in cents */
  premiumPriceCents: number;
  /** its yearly renewal (unless the registry raised that name's: registry.premiumRenewalRaisedTo) and restore fee, in cents */
  premiumRenewalCents: number;
  premiumRestoreCents: number;
  /** what users.getBalances reports (USD cents) */
  balanceCents: () => number;
  /** every renewal and reactivation the account made, oldest first (tests count them: a domain renewed once) */
  renewals?: SandboxRenewal[];
}

export interface SandboxRenewal {
  domain: string;
  command: 'renew' | 'reactivate';
  at: string;
  expiresAt: string;
  /** what ChargedAmount said (USD cents) */
  chargedCents?: number;
}

/** Command names are matched case-insensitively; the answer's Type keeps the canonical spelling. */
export function namecheapCommands(c: CommandContext): Map<string, { type: string; run: Command }> {
  const { registry } = c;

  // namecheap.domains.check (methods/domains/check): up to 50 names; an unsupported TLD is answered per name, so one
  // odd name does not fail the whole batch
  function check(p: Params): string {
    const names = p
      .required('DomainList')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    if (names.length > MAX_NAMES_PER_CHECK) {
      throw new ApiFailure(E.PARAMETER_INVALID, `DomainList has ${names.length} names; at most ${MAX_NAMES_PER_CHECK} per call`);
    }
    return names.map(checkOne).join('');
  }

  function checkOne(domain: string): string {
    const base = {
      Domain: domain,
      Available: false,
      ErrorNo: 0,
      Description: '',
      IsPremiumName: false,
      PremiumRegistrationPrice: '0',
      PremiumRenewalPrice: '0',
      PremiumRestorePrice: '0',
      PremiumTransferPrice: '0',
      IcannFee: '0',
      EapFee: '0.0',
    };
    if (!isSupportedTld(tldOf(domain))) {
      return el('DomainCheckResult', { ...base, ErrorNo: E.TLD_NOT_SUPPORTED, Description: 'TLD is not supported in API' });
    }
    if (registry.isRegistered(domain)) return el('DomainCheckResult', base);
    // Reserved names look free in RDAP and whois; only the registrar's own check says no.
    if (registry.isReserved(domain)) return el('DomainCheckResult', { ...base, Description: 'Domain is reserved by the registry' });
    if (registry.isPremium(domain)) {
      const price = centsToDecimal(c.premiumPriceCents, 4);
      return el('DomainCheckResult', {
        ...base,
        Available: true,
        IsPremiumName: true,
        PremiumRegistrationPrice: price,
        PremiumRenewalPrice: centsToDecimal(premiumRenewalOf(domain), 4),
        PremiumRestorePrice: centsToDecimal(c.premiumRestoreCents, 4),
        PremiumTransferPrice: price,
        EapFee: centsToDecimal(registry.eapFeeCents(domain), 2),
      });
    }
    return el('DomainCheckResult', { ...base, Available: true });
  }

  // namecheap.domains.create (methods/domains/create): Years 1-10 (2 by default), the four contacts complete with a
  // +NNN.NNNNNNNNNN phone, an IDN in punycode with its IdnCode, the TLD's extended attributes and eligible registrant
  // (registries.ts), a premium name only with IsPremiumDomain=true, its price and the EapFee the check reported
  function create(p: Params, req: IncomingMessage): string {
    const domain = p.required('DomainName').toLowerCase();
    const years = Number(p.get('Years') ?? '2');
    if (!Number.isInteger(years) || years < 1 || years > 10) throw new ApiFailure(E.YEARS_INVALID, 'Validation error from Years');
    const tld = tldOf(domain);
    if (!isSupportedTld(tld)) throw new ApiFailure(E.TLD_NOT_SUPPORTED, 'TLD is not supported in API');
    checkContacts(p);
    checkIdn(domain, p);
    checkRegistry(tld, years, p);
    const whoisguard = p.get('AddFreeWhoisguard')?.toLowerCase() === 'yes' && p.get('WGEnabled')?.toLowerCase() === 'yes' && !NO_PRIVACY_TLDS.includes(tld);

    // Sandbox extension: the real Namecheap has no idempotency key, so a retried create whose first answer was lost
    // gets "Domain not available" there, and the adapter checks ownership (domains.getInfo) before re-buying. Here a
    // retry with the same key replays the first result, which lets tests and the demo exercise exactly-once purchases.
    const key = header(req, 'x-idempotency-key') ?? p.get('IdempotencyKey');
    const existing = registry.get(domain);
    if (existing && key && existing.idempotencyKey === key && existing.owner === c.apiUser) return createResult(existing, whoisguard);

    if (registry.isRegistered(domain)) throw new ApiFailure(E.DOMAIN_NOT_AVAILABLE, 'Domain not available');
    if (registry.isReserved(domain)) throw new ApiFailure(E.DOMAIN_NOT_AVAILABLE_RESERVED, 'Domain not available');
    if (registry.isPremium(domain)) {
      const confirmed = p.get('IsPremiumDomain')?.toLowerCase() === 'true';
      const price = parseDecimalCents(p.get('PremiumPrice') ?? '');
      const eap = parseDecimalCents(p.get('EapFee') ?? '0') ?? -1;
      if (!confirmed || price !== c.premiumPriceCents || eap !== registry.eapFeeCents(domain)) {
        throw new ApiFailure(
          E.PREMIUM_PRICE_REQUIRED,
          `${domain} is a premium domain: send IsPremiumDomain=true, PremiumPrice=${centsToDecimal(c.premiumPriceCents, 2)} and EapFee=${centsToDecimal(registry.eapFeeCents(domain), 2)}`,
        );
      }
    }
    const given = { contacts: contactsOf(p), attributes: attributesOf(p), privacy: whoisguard, idnCode: p.get('IdnCode') };
    return createResult(registry.register(domain, years, key, c.apiUser, given), whoisguard);
  }

  function createResult(reg: SandboxRegistration, whoisguard: boolean): string {
    const years = new Date(reg.expiresAt).getUTCFullYear() - new Date(reg.createdAt).getUTCFullYear();
    const yearly = registry.isPremium(reg.domain) ? c.premiumPriceCents : yearlyPriceCents(tldOf(reg.domain));
    return el('DomainCreateResult', {
      Domain: reg.domain,
      Registered: true,
      ChargedAmount: centsToDecimal(yearly * years, 4),
      DomainID: reg.domainId,
      // Derived from the DomainID so a replay answers the very same ids.
      OrderID: 1_000_000 + reg.domainId,
      TransactionID: 2_000_000 + reg.domainId,
      WhoisguardEnable: whoisguard,
      NonRealTimeDomain: false,
    });
  }

  /** The registration behind a name, which must have been bought through this account. */
  function ownRegistration(domain: string): SandboxRegistration {
    const reg = registry.get(domain);
    if (reg && reg.owner === c.apiUser) return reg;
    if (registry.isRegistered(domain)) throw new ApiFailure(E.DOMAIN_NOT_ASSOCIATED, 'Domain is not associated with your account');
    throw new ApiFailure(E.DOMAIN_NOT_FOUND, 'Domain not found');
  }

  const domainOfSldTld = (p: Params) => `${p.required('SLD')}.${p.required('TLD')}`.toLowerCase();

  // namecheap.domains.dns.setHosts (methods/domains-dns/set-hosts): the records given replace all the others; TTL
  // 60-60000 (1800 by default)
  function setHosts(p: Params): string {
    const reg = ownRegistration(domainOfSldTld(p));
    const indices = p
      .names()
      .map((k) => /^hostname(\d+)$/.exec(k)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    if (indices.length === 0) throw new ApiFailure(E.PARAMETER_MISSING, 'Parameter HostName1 is missing');
    // Mail records are saved only when EmailType names their kind; without it MX records are silently dropped
    // (billputer/go-namecheap#7).
    const emailType = p.get('EmailType')?.toUpperCase();
    if (emailType !== undefined && !EMAIL_TYPES.includes(emailType))
      throw new ApiFailure(E.PARAMETER_INVALID, `EmailType "${emailType}" is not one of ${EMAIL_TYPES.join(', ')}`);
    const hosts: SandboxHostRecord[] = [];
    for (const i of indices) {
      const name = p.required(`HostName${i}`).toLowerCase();
      const type = p.required(`RecordType${i}`).toUpperCase();
      if (!RECORD_TYPES.includes(type)) throw new ApiFailure(E.PARAMETER_INVALID, `RecordType${i} "${type}" is not one of ${RECORD_TYPES.join(', ')}`);
      const address = p.required(`Address${i}`);
      const ttl = Number(p.get(`TTL${i}`) ?? '1800');
      if (!Number.isInteger(ttl) || ttl < 60 || ttl > 60_000) throw new ApiFailure(E.PARAMETER_INVALID, `TTL${i} must be between 60 and 60000`);
      const mxPref = Number(p.get(`MXPref${i}`) ?? '10');
      const host = type === 'MX' ? { name, type, address, ttl, mxPref } : { name, type, address, ttl };
      checkHostRecord(i, host, net.isIP);
      if ((type === 'MX' || type === 'MXE') && emailType !== type) continue;
      hosts.push(host);
    }
    reg.emailType = emailType;
    registry.setHosts(reg.domain, hosts);
    return el('DomainDNSSetHostsResult', { Domain: reg.domain, IsSuccess: true });
  }

  // namecheap.domains.dns.getHosts (methods/domains-dns/get-hosts)
  function getHosts(p: Params): string {
    const reg = ownRegistration(domainOfSldTld(p));
    // The live API writes these elements as lowercase <host>, though its docs show <Host>.
    const hosts = reg.hosts
      .map((h, i) =>
        el('host', {
          HostId: reg.domainId * 100 + i + 1,
          Name: h.name,
          Type: h.type,
          Address: h.address,
          MXPref: h.mxPref ?? 10,
          TTL: h.ttl,
          AssociatedAppTitle: '',
          FriendlyName: '',
          IsActive: true,
          IsDDNSEnabled: false,
        }),
      )
      .join('');
    return el('DomainDNSGetHostsResult', { Domain: reg.domain, EmailType: emailTypeOf(reg), IsUsingOurDNS: true }, hosts);
  }

  // namecheap.domains.getInfo (methods/domains/get-info)
  function getInfo(p: Params): string {
    const reg = ownRegistration(p.required('DomainName').toLowerCase());
    const dates = [el('CreatedDate', {}, usDate(reg.createdAt)), el('ExpiredDate', {}, usDate(reg.expiresAt)), el('NumYears', {}, '0')].join('');
    // ProviderType FREE is Namecheap's BasicDNS: the host records set through setHosts are live.
    const dns = el(
      'DnsDetails',
      { ProviderType: 'FREE', IsUsingOurDNS: true, HostCount: reg.hosts.length, EmailType: emailTypeOf(reg), DynamicDNSStatus: false, IsFailover: false },
      NAMECHEAP_NAMESERVERS.map((ns) => el('Nameserver', {}, ns)).join(''),
    );
    const attrs = { Status: 'Ok', ID: reg.domainId, DomainName: reg.domain, OwnerName: c.apiUser, IsOwner: true, IsPremium: registry.isPremium(reg.domain) };
    return el('DomainGetInfoResult', attrs, el('DomainDetails', {}, dates) + el('LockDetails', {}) + dns + el('Modificationrights', { All: true }));
  }

  // namecheap.domains.getList (methods/domains/get-list): the account's names, Page (1 on) of PageSize (10 to 100, 20 by
  // default), in the SortBy order asked for (as bought when none is), with <Paging>
  function getList(p: Params): string {
    const page = Number(p.get('Page') ?? '1');
    const size = Number(p.get('PageSize') ?? String(PAGE_SIZE.default));
    if (!Number.isInteger(page) || page < 1) throw new ApiFailure(E.PARAMETER_INVALID, 'Page must be 1 or more');
    if (!Number.isInteger(size) || size < PAGE_SIZE.min || size > PAGE_SIZE.max)
      throw new ApiFailure(E.PARAMETER_INVALID, 'PageSize must be between 10 and 100');
    const sort = p.get('SortBy')?.toUpperCase();
    if (sort && !SORTS.includes(sort)) throw new ApiFailure(E.PARAMETER_INVALID, `SortBy must be one of ${SORTS.join(', ')}`);
    const own = registry.all().filter((r) => r.owner === c.apiUser);
    if (sort?.startsWith('NAME')) own.sort((a, b) => a.domain.localeCompare(b.domain));
    if (sort?.startsWith('EXPIREDATE')) own.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
    if (sort?.startsWith('CREATEDATE')) own.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.domainId - b.domainId);
    if (sort?.endsWith('_DESC')) own.reverse();
    const now = Date.now();
    const rows = own.slice((page - 1) * size, page * size).map((r) =>
      el('Domain', {
        ID: r.domainId,
        Name: r.domain,
        User: c.apiUser,
        Created: usDate(r.createdAt),
        Expires: usDate(r.expiresAt),
        IsExpired: Date.parse(r.expiresAt) < now,
        IsLocked: isLocked(r),
        AutoRenew: false,
        WhoisGuard: r.privacy ? 'ENABLED' : 'NOTPRESENT',
        IsPremium: registry.isPremium(r.domain),
        IsOurDNS: true,
      }),
    );
    const paging = el('Paging', {}, el('TotalItems', {}, String(own.length)) + el('CurrentPage', {}, String(page)) + el('PageSize', {}, String(size)));
    return el('DomainGetListResult', {}, rows.join('')) + paging;
  }

  // namecheap.domains.getContacts (methods/domains/get-contacts): the four contacts the purchase gave, as child elements
  function getContacts(p: Params): string {
    const reg = ownRegistration(p.required('DomainName').toLowerCase());
    const roles = CONTACT_ROLES.map((role) => {
      const fields = reg.contacts?.[role] ?? {};
      return el(
        role,
        { ReadOnly: false },
        Object.entries(fields)
          .map(([k, v]) => el(k, {}, escapeText(v)))
          .join(''),
      );
    });
    return el('DomainContactsResult', { Domain: reg.domain, domainnameid: reg.domainId }, roles.join(''));
  }

  // namecheap.domains.renew (methods/domains/renew): "Renews an expiring domain" by Years (1-10) from its expiry; an
  // expired one is refused with 2020166 "Domain has expired. Please reactivate your domain". No idempotency key: a
  // renewal sent twice renews twice, which is why the app reads the expiry before renewing again.
  function renew(p: Params): string {
    const reg = ownRegistration(p.required('DomainName').toLowerCase());
    const years = Number(p.required('Years'));
    if (!Number.isInteger(years) || years < 1 || years > 10) throw new ApiFailure(E.YEARS_INVALID, 'Validation error from Years');
    if (Date.parse(reg.expiresAt) < Date.now()) throw new ApiFailure(E.DOMAIN_EXPIRED, 'Domain has expired.Please reactivate your domain');
    premiumRenewal(reg, p, premiumRenewalOf(reg.domain));
    const renewed = registry.extend(reg.domain, years);
    c.renewals?.push({ domain: reg.domain, command: 'renew', at: new Date().toISOString(), expiresAt: renewed.expiresAt });
    const details = el('DomainDetails', {}, el('ExpiredDate', {}, usDateTime(renewed.expiresAt)) + el('NumYears', {}, '0'));
    const ids = renewalIds(reg);
    return el(
      'DomainRenewResult',
      { DomainName: reg.domain, DomainID: reg.domainId, Renew: true, ...ids, ChargedAmount: centsToDecimal(yearlyPrice(reg.domain) * years, 4) },
      details,
    );
  }

  // namecheap.domains.reactivate (methods/domains/reactivate): "Reactivates an expired domain", YearsToAdd (1 by default)
  // from its expiry: at the regular rate while the account keeps it, at getPricing's REACTIVATE price once it is in
  // redemption (pricing.ts); before its expiry or once deleted, 2020166 "Domain does not meet the expiration date for
  // reactivation"
  function reactivate(p: Params): string {
    const reg = ownRegistration(p.required('DomainName').toLowerCase());
    const years = Number(p.get('YearsToAdd') ?? '1');
    if (!Number.isInteger(years) || years < 1 || years > 10) throw new ApiFailure(E.YEARS_INVALID, 'Validation error from YearsToAdd');
    const lapse = lapseOf(reg.expiresAt);
    if (lapse === 'active' || lapse === 'deleted') {
      throw new ApiFailure(E.DOMAIN_EXPIRED, 'Domain does not meet the expiration date for reactivation');
    }
    // a premium name out of redemption: its restore fee and a year at its premium renewal price (the fee "plus its
    // regular renewal cost", knowledgebase 9916/2207), the price its PremiumPrice must confirm
    const premiumRestore = lapse === 'redemption' ? c.premiumRestoreCents : 0;
    if (registry.isPremium(reg.domain)) premiumRenewal(reg, p, premiumRestore + premiumRenewalOf(reg.domain));
    const charged =
      lapse === 'redemption' && !registry.isPremium(reg.domain)
        ? reactivatePriceCents(tldOf(reg.domain)) + (years - 1) * yearlyPrice(reg.domain)
        : premiumRestore + yearlyPrice(reg.domain) * years;
    const renewed = registry.extend(reg.domain, years);
    c.renewals?.push({ domain: reg.domain, command: 'reactivate', at: new Date().toISOString(), expiresAt: renewed.expiresAt, chargedCents: charged });
    return el('DomainReactivateResult', {
      Domain: reg.domain,
      IsSuccess: true,
      ChargedAmount: centsToDecimal(charged, 4),
      ...renewalIds(reg),
    });
  }

  /**
   * A premium name renews only with IsPremiumDomain=true and a PremiumPrice (methods/domains/renew and reactivate list
   * both; the official Go SDK refuses IsPremiumDomain without a price before sending) covering its price of the day:
   * the price confirms what the account agrees to pay, and a registry's rise since is refused, nothing charged.
   * Namecheap documents no error number for it: PREMIUM_PRICE_REQUIRED stands in, as for create.
   */
  function premiumRenewal(reg: SandboxRegistration, p: Params, priceCents: number): void {
    if (!registry.isPremium(reg.domain)) return;
    const confirmed = p.get('IsPremiumDomain')?.toLowerCase() === 'true';
    const sent = parseDecimalCents(p.get('PremiumPrice') ?? '');
    if (!confirmed || sent === undefined || sent < priceCents) {
      throw new ApiFailure(
        E.PREMIUM_PRICE_REQUIRED,
        `${reg.domain} is a premium domain: send IsPremiumDomain=true and PremiumPrice=${centsToDecimal(priceCents, 2)}`,
      );
    }
  }

  /** A premium name's yearly renewal: the registry's own, or what a test raised it to. */
  const premiumRenewalOf = (domain: string) => registry.premiumRenewalRaisedTo.get(domain.toLowerCase()) ?? c.premiumRenewalCents;

  /** Each renewal is its own order and transaction at the registrar. */
  function renewalIds(reg: SandboxRegistration) {
    const n = (c.renewals ?? []).filter((r) => r.domain === reg.domain).length;
    return { OrderID: 3_000_000 + reg.domainId * 100 + n, TransactionID: 4_000_000 + reg.domainId * 100 + n };
  }

  const yearlyPrice = (domain: string) => (registry.isPremium(domain) ? premiumRenewalOf(domain) : yearlyPriceCents(tldOf(domain)));

  // namecheap.users.getBalances (methods/users/get-balances): USD amounts with two decimals. Purchases do not draw on
  // the balance: Namecheap documents no error number for a purchase refused for lack of funds, so the sandbox refuses
  // none that way; the balance is what tests set.
  function getBalances(): string {
    const amount = centsToDecimal(c.balanceCents(), 2);
    return el('UserGetBalancesResult', {
      Currency: 'USD',
      AvailableBalance: amount,
      AccountBalance: amount,
      EarnedAmount: '0.00',
      WithdrawableAmount: '0.00',
      FundsRequiredForAutoRenew: '0.00',
    });
  }

  return new Map(
    Object.entries<Command>({
      'namecheap.domains.check': check,
      'namecheap.domains.create': create,
      'namecheap.domains.dns.setHosts': setHosts,
      'namecheap.domains.dns.getHosts': getHosts,
      'namecheap.domains.getInfo': getInfo,
      'namecheap.domains.getList': getList,
      'namecheap.domains.getContacts': getContacts,
      'namecheap.domains.renew': renew,
      'namecheap.domains.reactivate': reactivate,
      'namecheap.users.getBalances': getBalances,
      'namecheap.users.getPricing': getPricing,
      ...emailForwardingCommands({ ownRegistration }),
      ...transferCommands({ registry, ownRegistration }),
    }).map(([type, run]) => [type.toLowerCase(), { type, run }]),
  );
}

/** Namecheap sells registrable names, so everything after the first label is the TLD (co.uk included). */
function tldOf(domain: string): string {
  return domain.split('.').slice(1).join('.');
}

function isSupportedTld(tld: string): boolean {
  return SANDBOX_TLDS.includes(tld);
}

function emailTypeOf(reg: SandboxRegistration): string {
  if (reg.emailType === 'FWD' || reg.emailType === 'OX') return reg.emailType;
  if (reg.hosts.some((h) => h.type === 'MX')) return 'MX';
  if (reg.hosts.some((h) => h.type === 'MXE')) return 'MXE';
  return 'NONE';
}

/** The extended attributes among a purchase's parameters. */
function attributesOf(p: Params): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of p.originalNames()) if (ATTRIBUTE.test(name)) out[name] = p.get(name) ?? '';
  return out;
}

function escapeText(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

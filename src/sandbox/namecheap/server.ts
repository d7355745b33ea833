// The sandbox Namecheap: its XML API at /xml.response over the sandbox registry, so the real NamecheapRegistrar runs against it unchanged.
//
// Reading this file should teach the real API (namecheap.com/support/api):
//  - one endpoint, GET or POST (form-encoded), the command named by the `Command` parameter;
//  - every call carries the global parameters ApiUser, ApiKey, UserName, ClientIp;
//  - parameter names are case-insensitive (Namecheap's own examples write `apiuser=`);
//  - the answer is always HTTP 200 with an <ApiResponse Status="OK|ERROR">; failures, including
//    "too many requests", are <Error Number="..."> elements, not HTTP statuses.
import http from 'node:http';
import net from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultInjector, SandboxServer } from '../faults.ts';
import { SANDBOX_TLDS, type SandboxHostRecord, type SandboxRegistration, type SandboxRegistry } from '../registry-state.ts';

/**
 * Error numbers from Namecheap's published lists (the global-parameters page and each
 * command's page). The ones marked "sandbox" are not in those lists, because Namecheap
 * documents no generic "parameter missing / invalid" number for command parameters; they sit
 * in the 2xxxxxx range Namecheap uses for request validation, so a client that maps numbers
 * by range reads them right.
 */
export const NamecheapErrorNumber = {
  API_USER_MISSING: 1010101,
  API_KEY_MISSING: 1010102,
  /** what the live API answers for a wrong key or user: "API Key is invalid or API access has not been enabled" */
  API_KEY_INVALID: 1011102,
  COMMAND_MISSING: 1010104,
  CLIENT_IP_MISSING: 1010105,
  REQUEST_IP_INVALID: 1011150,
  USER_NAME_NOT_AVAILABLE: 1019103,
  USER_NAME_UNAUTHORIZED: 1016103,
  /** domains.create: a required contact field is empty */
  CONTACT_FIELD_MISSING: 2010323,
  YEARS_INVALID: 2015167,
  PHONE_INVALID: 2015182,
  TLD_NOT_SUPPORTED: 2030280,
  DOMAIN_NOT_FOUND: 2019166,
  DOMAIN_NOT_ASSOCIATED: 2016166,
  /** domains.create: Namecheap documents both numbers for "Domain not available" */
  DOMAIN_NOT_AVAILABLE: 3019166,
  DOMAIN_NOT_AVAILABLE_RESERVED: 4019166,
  /** not on the docs pages; what the live API answers when throttling (namecheap/terraform-provider-namecheap#9) */
  TOO_MANY_REQUESTS: 500000,
  UNHANDLED: 5050900,
  /** sandbox */
  PARAMETER_MISSING: 2011100,
  /** sandbox */
  PARAMETER_INVALID: 2011200,
  /** sandbox */
  COMMAND_UNKNOWN: 2011300,
  /** sandbox: a premium name bought without IsPremiumDomain=true and its exact PremiumPrice */
  PREMIUM_PRICE_REQUIRED: 2011400,
} as const;

const E = NamecheapErrorNumber;

/** domains.check answers for at most this many names per call. */
export const MAX_NAMES_PER_CHECK = 50;

/** Record types setHosts accepts (the docs list A AAAA CNAME MX MXE TXT URL URL301 FRAME; the live API also takes ALIAS CAA NS). */
export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'MXE', 'TXT', 'URL', 'URL301', 'FRAME', 'ALIAS', 'CAA', 'NS'];

/** Sandbox yearly prices per TLD in cents (what ChargedAmount reports; not Namecheap's price list). */
const YEARLY_PRICE_CENTS: Record<string, number> = { fr: 1098, com: 1098, net: 1298, org: 1098, eu: 898, io: 3998 };
const DEFAULT_YEARLY_PRICE_CENTS = 1498;

const CONTACT_ROLES = ['Registrant', 'Tech', 'Admin', 'AuxBilling'];
const CONTACT_FIELDS = ['FirstName', 'LastName', 'Address1', 'City', 'StateProvince', 'PostalCode', 'Country', 'Phone', 'EmailAddress'];

/** Namecheap's BasicDNS servers, which a domain uses until told otherwise. */
const NAMECHEAP_NAMESERVERS = ['dns1.registrar-servers.com', 'dns2.registrar-servers.com'];

export interface NamecheapServerOptions {
  registry: SandboxRegistry;
  apiUser: string;
  apiKey: string;
  host?: string;
  port?: number;
  faults: FaultInjector;
  /** price the sandbox quotes for every premium-* name, in cents (default 250000 = 2500.00) */
  premiumPriceCents?: number;
  /**
   * Calls per minute per ApiUser before the answer becomes error 500000. Namecheap publishes
   * 20/min, 700/hour and 8000/day; the sandbox defaults to 700/min so tests stay fast.
   */
  rateLimitPerMinute?: number;
  /** the address whitelisted on the account at start (what the app sends as ClientIp); default 127.0.0.1 */
  clientIp?: string;
  /** the account's balance at start, in US cents (default 100000: 1,000.00 USD) */
  balanceCents?: number;
}

/** The account as Namecheap's panel shows it; tests and the doctor's failures change it at run time. */
export interface NamecheapAccount {
  /** Profile → Tools → Namecheap API Access → Whitelisted IPs */
  whitelist: Set<string>;
  /** what namecheap.users.getBalances reports (USD cents); purchases do not draw on it (see getBalances) */
  balanceCents: number;
}

export interface NamecheapSandbox extends SandboxServer {
  account: NamecheapAccount;
}

/** A failure the API reports as <Error Number="...">. */
class ApiFailure extends Error {
  constructor(
    readonly number: number,
    text: string,
  ) {
    super(text);
  }
}

/** The request's parameters, query and form body together, looked up case-insensitively. */
class Params {
  private readonly values = new Map<string, string>();

  constructor(sources: URLSearchParams[]) {
    for (const source of sources) for (const [k, v] of source) this.values.set(k.toLowerCase(), v);
  }

  /** The trimmed value, or undefined when absent or blank. */
  get(name: string): string | undefined {
    const v = this.values.get(name.toLowerCase())?.trim();
    return v ? v : undefined;
  }

  required(name: string): string {
    const v = this.get(name);
    if (v === undefined) throw new ApiFailure(E.PARAMETER_MISSING, `Parameter ${name} is missing`);
    return v;
  }

  names(): string[] {
    return [...this.values.keys()];
  }
}

type Command = (p: Params, req: IncomingMessage) => string;

export async function startNamecheapServer(opts: NamecheapServerOptions): Promise<NamecheapSandbox> {
  const { registry, faults } = opts;
  const premiumPriceCents = opts.premiumPriceCents ?? 250_000;
  const limiter = new PerMinuteLimiter(opts.rateLimitPerMinute ?? 700);
  const account: NamecheapAccount = { whitelist: new Set([opts.clientIp ?? '127.0.0.1']), balanceCents: opts.balanceCents ?? 100_000 };

  // ---- domains.check -------------------------------------------------------------------

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
    // An unsupported TLD is answered per name, so one odd name does not fail the whole batch.
    if (!isSupportedTld(tldOf(domain))) {
      return el('DomainCheckResult', { ...base, ErrorNo: E.TLD_NOT_SUPPORTED, Description: 'TLD is not supported in API' });
    }
    if (registry.isRegistered(domain)) return el('DomainCheckResult', base);
    // Reserved names look free in RDAP and whois; only the registrar's own check says no.
    if (registry.isReserved(domain)) {
      return el('DomainCheckResult', { ...base, Description: 'Domain is reserved by the registry' });
    }
    if (registry.isPremium(domain)) {
      const price = centsToDecimal(premiumPriceCents, 4);
      return el('DomainCheckResult', {
        ...base,
        Available: true,
        IsPremiumName: true,
        PremiumRegistrationPrice: price,
        PremiumRenewalPrice: price,
        PremiumRestorePrice: '65.0000',
        PremiumTransferPrice: price,
      });
    }
    return el('DomainCheckResult', { ...base, Available: true });
  }

  // ---- domains.create ------------------------------------------------------------------

  function create(p: Params, req: IncomingMessage): string {
    const domain = p.required('DomainName').toLowerCase();
    const years = Number(p.get('Years') ?? '2'); // the documented default is 2 years
    if (!Number.isInteger(years) || years < 1 || years > 10) {
      throw new ApiFailure(E.YEARS_INVALID, 'Validation error from Years');
    }
    if (!isSupportedTld(tldOf(domain))) throw new ApiFailure(E.TLD_NOT_SUPPORTED, 'TLD is not supported in API');
    for (const role of CONTACT_ROLES) {
      for (const field of CONTACT_FIELDS) {
        if (!p.get(role + field)) {
          throw new ApiFailure(E.CONTACT_FIELD_MISSING, `Check required field for ${role} contact: ${role}${field} is missing`);
        }
      }
      if (!/^\+\d{1,3}\.\d{4,14}$/.test(p.get(`${role}Phone`) ?? '')) {
        throw new ApiFailure(E.PHONE_INVALID, 'The contact phone is invalid. The phone number format is +NNN.NNNNNNNNNN');
      }
    }
    const whoisguard = p.get('AddFreeWhoisguard')?.toLowerCase() === 'yes' && p.get('WGEnabled')?.toLowerCase() === 'yes';

    // Sandbox extension: the real Namecheap has no idempotency key, so a retried create whose
    // first answer was lost gets "Domain not available" there; our adapter therefore checks
    // ownership (domains.getInfo) before re-buying. Here a retry with the same key replays the
    // first result instead, which lets tests and the demo exercise exactly-once purchases.
    const header = req.headers['x-idempotency-key'];
    const key = (Array.isArray(header) ? header[0] : header) ?? p.get('IdempotencyKey');
    const existing = registry.get(domain);
    if (existing && key && existing.idempotencyKey === key && existing.owner === opts.apiUser) return createResult(existing, whoisguard);

    if (registry.isRegistered(domain)) throw new ApiFailure(E.DOMAIN_NOT_AVAILABLE, 'Domain not available');
    if (registry.isReserved(domain)) throw new ApiFailure(E.DOMAIN_NOT_AVAILABLE_RESERVED, 'Domain not available');
    if (registry.isPremium(domain)) {
      // Namecheap sells a premium name only when the caller confirms it knows the price.
      const confirmed = p.get('IsPremiumDomain')?.toLowerCase() === 'true';
      const price = parseDecimalCents(p.get('PremiumPrice') ?? '');
      if (!confirmed || price !== premiumPriceCents) {
        throw new ApiFailure(
          E.PREMIUM_PRICE_REQUIRED,
          `${domain} is a premium domain: send IsPremiumDomain=true and PremiumPrice=${centsToDecimal(premiumPriceCents, 2)}`,
        );
      }
    }
    return createResult(registry.register(domain, years, key, opts.apiUser), whoisguard);
  }

  function createResult(reg: SandboxRegistration, whoisguard: boolean): string {
    const years = new Date(reg.expiresAt).getUTCFullYear() - new Date(reg.createdAt).getUTCFullYear();
    const yearly = registry.isPremium(reg.domain) ? premiumPriceCents : (YEARLY_PRICE_CENTS[tldOf(reg.domain)] ?? DEFAULT_YEARLY_PRICE_CENTS);
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

  // ---- domains.dns.setHosts / getHosts -------------------------------------------------

  /** The registration behind SLD+TLD, which must have been bought through this account. */
  function ownRegistration(domain: string): SandboxRegistration {
    const reg = registry.get(domain);
    if (reg && reg.owner === opts.apiUser) return reg;
    if (registry.isRegistered(domain)) throw new ApiFailure(E.DOMAIN_NOT_ASSOCIATED, 'Domain is not associated with your account');
    throw new ApiFailure(E.DOMAIN_NOT_FOUND, 'Domain not found');
  }

  function domainOfSldTld(p: Params): string {
    return `${p.required('SLD')}.${p.required('TLD')}`.toLowerCase();
  }

  function setHosts(p: Params): string {
    const reg = ownRegistration(domainOfSldTld(p));
    const indices = p
      .names()
      .map((k) => /^hostname(\d+)$/.exec(k)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    if (indices.length === 0) throw new ApiFailure(E.PARAMETER_MISSING, 'Parameter HostName1 is missing');
    // Namecheap saves mail records only when EmailType names their kind; without it MX records
    // are silently dropped (billputer/go-namecheap#7), a classic trap this sandbox reproduces.
    const emailType = p.get('EmailType')?.toUpperCase();
    const hosts: SandboxHostRecord[] = [];
    for (const i of indices) {
      const name = p.required(`HostName${i}`).toLowerCase();
      const type = p.required(`RecordType${i}`).toUpperCase();
      if (!RECORD_TYPES.includes(type)) {
        throw new ApiFailure(E.PARAMETER_INVALID, `RecordType${i} "${type}" is not one of ${RECORD_TYPES.join(', ')}`);
      }
      const address = p.required(`Address${i}`);
      const ttl = Number(p.get(`TTL${i}`) ?? '1800');
      if (!Number.isInteger(ttl) || ttl < 60 || ttl > 60_000) {
        throw new ApiFailure(E.PARAMETER_INVALID, `TTL${i} must be between 60 and 60000`);
      }
      const mxPref = Number(p.get(`MXPref${i}`) ?? '10');
      if ((type === 'MX' || type === 'MXE') && emailType !== type) continue;
      hosts.push(type === 'MX' ? { name, type, address, ttl, mxPref } : { name, type, address, ttl });
    }
    registry.setHosts(reg.domain, hosts);
    return el('DomainDNSSetHostsResult', { Domain: reg.domain, IsSuccess: true });
  }

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

  // ---- domains.getInfo -----------------------------------------------------------------

  function getInfo(p: Params): string {
    const reg = ownRegistration(p.required('DomainName').toLowerCase());
    const dates = [el('CreatedDate', {}, usDate(reg.createdAt)), el('ExpiredDate', {}, usDate(reg.expiresAt)), el('NumYears', {}, '0')].join('');
    // ProviderType FREE is Namecheap's BasicDNS: the host records set through setHosts are live.
    const dns = el(
      'DnsDetails',
      {
        ProviderType: 'FREE',
        IsUsingOurDNS: true,
        HostCount: reg.hosts.length,
        EmailType: emailTypeOf(reg),
        DynamicDNSStatus: false,
        IsFailover: false,
      },
      NAMECHEAP_NAMESERVERS.map((ns) => el('Nameserver', {}, ns)).join(''),
    );
    const attrs = {
      Status: 'Ok',
      ID: reg.domainId,
      DomainName: reg.domain,
      OwnerName: opts.apiUser,
      IsOwner: true,
      IsPremium: registry.isPremium(reg.domain),
    };
    return el('DomainGetInfoResult', attrs, el('DomainDetails', {}, dates) + el('LockDetails', {}) + dns + el('Modificationrights', { All: true }));
  }

  // ---- users.getBalances ---------------------------------------------------------------

  /**
   * The answer of namecheap.com/support/api/methods/users/get-balances: USD amounts with two decimals. Purchases do not
   * draw on the balance: Namecheap documents no error number for a purchase refused for lack of funds, so the sandbox
   * refuses none that way; the balance is what tests set.
   */
  function getBalances(): string {
    const amount = centsToDecimal(account.balanceCents, 2);
    return el('UserGetBalancesResult', {
      Currency: 'USD',
      AvailableBalance: amount,
      AccountBalance: amount,
      EarnedAmount: '0.00',
      WithdrawableAmount: '0.00',
      FundsRequiredForAutoRenew: '0.00',
    });
  }

  // Command names are matched case-insensitively; the answer's Type keeps the canonical spelling.
  const commands = new Map<string, { type: string; run: Command }>(
    Object.entries<Command>({
      'namecheap.domains.check': check,
      'namecheap.domains.create': create,
      'namecheap.domains.dns.setHosts': setHosts,
      'namecheap.domains.dns.getHosts': getHosts,
      'namecheap.domains.getInfo': getInfo,
      'namecheap.users.getBalances': getBalances,
    }).map(([type, run]) => [type.toLowerCase(), { type, run }]),
  );

  // ---- the endpoint --------------------------------------------------------------------

  /** The global parameters every call carries; throws the error the live API answers. */
  function authenticate(p: Params): void {
    const apiUser = p.get('ApiUser');
    if (!apiUser) throw new ApiFailure(E.API_USER_MISSING, 'Parameter APIUser is missing');
    const apiKey = p.get('ApiKey');
    if (!apiKey) throw new ApiFailure(E.API_KEY_MISSING, 'Parameter APIKey is missing');
    // A wrong user and a wrong key get the same answer, as on the live API: it tells nothing.
    if (apiUser !== opts.apiUser || apiKey !== opts.apiKey || faults.faults.revokedCredentials) {
      throw new ApiFailure(E.API_KEY_INVALID, 'API Key is invalid or API access has not been enabled');
    }
    const userName = p.get('UserName');
    if (!userName) throw new ApiFailure(E.USER_NAME_NOT_AVAILABLE, 'Parameter UserName is not available');
    // The API user may act for sub-accounts on the live API; the sandbox has only one account.
    if (userName !== opts.apiUser) throw new ApiFailure(E.USER_NAME_UNAUTHORIZED, 'Parameter UserName is unauthorized');
    const clientIp = p.get('ClientIp');
    if (!clientIp) throw new ApiFailure(E.CLIENT_IP_MISSING, 'Parameter ClientIP is missing');
    // Only IPv4 is accepted, and only from a whitelisted address: the live API answers a call from any other with
    // 1011150 "Invalid request IP: <ip>" (global error list; namecheap/go-namecheap-sdk#4). On loopback every call comes
    // from 127.0.0.1, so the sandbox checks the address the call names.
    if (!net.isIPv4(clientIp) || !account.whitelist.has(clientIp)) throw new ApiFailure(E.REQUEST_IP_INVALID, `Invalid request IP: ${clientIp}`);
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (req.method === 'GET' && url.pathname === '/__sandbox/registrations') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ registrations: registry.all() }));
      return;
    }
    if (url.pathname !== '/xml.response') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found: the Namecheap API lives at /xml.response');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' });
      res.end();
      return;
    }
    const startedAt = performance.now();
    const body = req.method === 'POST' ? await readBody(req) : '';
    const p = new Params([url.searchParams, new URLSearchParams(body)]);
    const requested = (p.get('Command') ?? '').toLowerCase();
    const send = (xml: string) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(xml);
    };
    const fail = (failure: ApiFailure) => send(envelope(requested, startedAt, { errors: [failure] }));

    const serverError = () => fail(new ApiFailure(E.UNHANDLED, 'Unhandled exceptions'));
    if (!(await faults.apply(req, res, serverError))) return;
    if (!limiter.allow(p.get('ApiUser') ?? '', Date.now())) {
      return fail(new ApiFailure(E.TOO_MANY_REQUESTS, 'Too many requests'));
    }
    try {
      authenticate(p);
      if (!requested) throw new ApiFailure(E.COMMAND_MISSING, 'Parameter Command is missing');
      const command = commands.get(requested);
      if (!command) throw new ApiFailure(E.COMMAND_UNKNOWN, `Command ${requested} is not known to the sandbox`);
      // a purchase: the chaos run kills its caller here, or loses its answer once the name is bought
      if (requested === 'namecheap.domains.create') await faults.spending('namecheap', 'domains.create', req, res, serverError);
      const result = command.run(p, req);
      send(envelope(requested, startedAt, { type: command.type, result }));
    } catch (err) {
      if (err instanceof ApiFailure) return fail(err);
      throw err;
    }
  }

  const server = http.createServer((req, res) => {
    answer(req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
        res.end(envelope('', performance.now(), { errors: [new ApiFailure(E.UNHANDLED, 'Unhandled exceptions')] }));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    name: 'namecheap',
    url: `http://${host}:${port}`,
    faults,
    account,
    close: () =>
      new Promise<void>((resolve) => {
        // Held "timeout" faults and keep-alive sockets would otherwise keep close() waiting.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- helpers ---------------------------------------------------------------------------

/** Namecheap sells registrable names, so everything after the first label is the TLD (co.uk included). */
function tldOf(domain: string): string {
  return domain.split('.').slice(1).join('.');
}

function isSupportedTld(tld: string): boolean {
  return SANDBOX_TLDS.includes(tld);
}

function emailTypeOf(reg: SandboxRegistration): string {
  if (reg.hosts.some((h) => h.type === 'MX')) return 'MX';
  if (reg.hosts.some((h) => h.type === 'MXE')) return 'MXE';
  return 'NONE';
}

/** Namecheap writes dates as MM/DD/YYYY. */
function usDate(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

/** 250000 → "2500.0000" (the live API writes prices with four decimals). */
function centsToDecimal(cents: number, decimals: 2 | 4): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}${decimals === 4 ? '00' : ''}`;
}

/** "2500.00" → 250000; exact decimal reading, no float arithmetic. Undefined when not a price. */
function parseDecimalCents(text: string): number | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const frac = (m[2] ?? '').padEnd(3, '0');
  return Number(m[1]) * 100 + Number(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1 : 0);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One XML element; attribute values are escaped, `children` is already XML. */
function el(name: string, attrs: Record<string, string | number | boolean>, children?: string): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  return children === undefined ? `<${name}${a} />` : `<${name}${a}>${children}</${name}>`;
}

/** The <ApiResponse> every answer is wrapped in, whatever the outcome. */
function envelope(requested: string, startedAt: number, outcome: { errors: ApiFailure[] } | { type: string; result: string }): string {
  const ok = !('errors' in outcome);
  const errors = ok ? '<Errors />' : el('Errors', {}, outcome.errors.map((e) => el('Error', { Number: e.number }, escapeXml(e.message))).join(''));
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<ApiResponse Status="${ok ? 'OK' : 'ERROR'}" xmlns="http://api.namecheap.com/xml.response">`,
    `  ${errors}`,
    '  <Warnings />',
    `  <RequestedCommand>${escapeXml(requested)}</RequestedCommand>`,
    ...(ok ? [`  ${el('CommandResponse', { Type: outcome.type }, outcome.result)}`] : []),
    '  <Server>SANDBOX01</Server>',
    '  <GMTTimeDifference>+0:00</GMTTimeDifference>',
    `  <ExecutionTime>${((performance.now() - startedAt) / 1000).toFixed(3)}</ExecutionTime>`,
    '</ApiResponse>',
  ].join('\n');
}

async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Sliding one-minute window per ApiUser. */
class PerMinuteLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(private readonly perMinute: number) {}

  allow(user: string, now: number): boolean {
    const recent = (this.calls.get(user) ?? []).filter((t) => now - t < 60_000);
    const allowed = recent.length < this.perMinute;
    if (allowed) recent.push(now);
    this.calls.set(user, recent);
    return allowed;
  }
}

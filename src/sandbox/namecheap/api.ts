// What the Namecheap sandbox's modules share: Namecheap's error numbers, its parameters (case-insensitive, query and
// form together) and its XML answers, always HTTP 200 with <ApiResponse Status="OK|ERROR"> (namecheap.com/support/api/intro).

/**
 * Error numbers from Namecheap's published lists (namecheap.com/support/api/global-parameters and each command's page).
 * The ones marked "sandbox" are not in those lists, because Namecheap documents no generic "parameter missing /
 * invalid" number for command parameters; they sit in the 2xxxxxx range Namecheap uses for request validation, so a
 * client that maps numbers by range reads them right.
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
  UNHANDLED: 5050900,
  /** renew: "Domain has expired.Please reactivate your domain"; reactivate: "Domain does not meet the expiration date for reactivation" */
  DOMAIN_EXPIRED: 2020166,
  /** setRegistrarLock: "Invalid data specified for LockAction" */
  LOCK_ACTION_INVALID: 2015278,
  /** setRegistrarLock: "Edit permission for domain is not supported" */
  EDIT_NOT_SUPPORTED: 2030166,
  /** sandbox */
  PARAMETER_MISSING: 2011100,
  /** sandbox */
  PARAMETER_INVALID: 2011200,
  /** sandbox */
  COMMAND_UNKNOWN: 2011300,
  /** sandbox: a premium name bought without IsPremiumDomain=true, its exact PremiumPrice and its EapFee */
  PREMIUM_PRICE_REQUIRED: 2011400,
  /** sandbox: a .fr or .eu create without its extended attributes, or with a value the registry refuses */
  EXTENDED_ATTRIBUTE_INVALID: 2011500,
  /** sandbox: the registrant is not one the TLD's registry accepts (its country) */
  REGISTRANT_NOT_ELIGIBLE: 2011510,
  /** sandbox: an IDN sent in native code, or without its IdnCode */
  IDN_INVALID: 2011520,
  /** sandbox: a contact the registry refuses (a .fr tech contact without organisation, or the registrant's twin) */
  CONTACT_INVALID: 2011530,
} as const;

/** A failure the API reports as <Error Number="...">. */
export class ApiFailure extends Error {
  constructor(
    readonly number: number,
    text: string,
  ) {
    super(text);
  }
}

/** The request's parameters, query and form body together, looked up case-insensitively (Namecheap's own examples write `apiuser=`). */
export class Params {
  private readonly values = new Map<string, string>();
  private readonly original = new Map<string, string>();

  constructor(sources: URLSearchParams[]) {
    for (const source of sources)
      for (const [k, v] of source) {
        this.values.set(k.toLowerCase(), v);
        this.original.set(k.toLowerCase(), k);
      }
  }

  /** The parameters' names as the call spelled them. */
  originalNames(): string[] {
    return [...this.original.values()];
  }

  /** The trimmed value, or undefined when absent or blank. */
  get(name: string): string | undefined {
    const v = this.values.get(name.toLowerCase())?.trim();
    return v ? v : undefined;
  }

  required(name: string): string {
    const v = this.get(name);
    if (v === undefined) throw new ApiFailure(NamecheapErrorNumber.PARAMETER_MISSING, `Parameter ${name} is missing`);
    return v;
  }

  names(): string[] {
    return [...this.values.keys()];
  }
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One XML element; attribute values are escaped, `children` is already XML. */
export function el(name: string, attrs: Record<string, string | number | boolean>, children?: string): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  return children === undefined ? `<${name}${a} />` : `<${name}${a}>${children}</${name}>`;
}

/** The <ApiResponse> every answer is wrapped in, whatever the outcome. */
export function envelope(requested: string, startedAt: number, outcome: { errors: ApiFailure[] } | { type: string; result: string }): string {
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

/** Namecheap writes dates as MM/DD/YYYY. */
export function usDate(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

/** "4/30/2021 11:31:13 AM": the date and time the renew answer writes (methods/domains/renew's example). */
export function usDateTime(iso: string): string {
  const d = new Date(iso);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** 250000 → "2500.0000" (the live API writes prices with four decimals). */
export function centsToDecimal(cents: number, decimals: 2 | 4): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}${decimals === 4 ? '00' : ''}`;
}

/** "2500.00" → 250000; exact decimal reading, no float arithmetic. Undefined when not a price. */
export function parseDecimalCents(text: string): number | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const frac = (m[2] ?? '').padEnd(3, '0');
  return Number(m[1]) * 100 + Number(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1 : 0);
}

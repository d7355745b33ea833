// The bad-input corpus: requests every route must refuse with a 4xx and {code, message} (or, for pages and files that take no input, answer without echoing it), storing nothing. Also the small HTTP client that sends them.
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { png, pngHeader } from '../support/images.ts';
import { siteZip, unixMode, zip } from '../support/zip.ts';
import { HOLDER } from '../support/holder.ts';

export interface Target {
  /** an order waiting for payment (Stripe), with a saved site document (version 2) whose logo is `assetId` */
  token: string;
  assetId: string;
  /** another order (PayPal, waiting for payment) and one of its pictures */
  otherToken: string;
  otherAssetId: string;
  adminToken: string;
  /** an admin session: its cookie ("cg_admin=…") and CSRF token */
  adminCookie: string;
  csrfToken: string;
  metricsToken: string;
  stripeSecret: string;
  /** a customer signed in to their space (the first order's address): the session cookie ("cg_account=…") and its CSRF token */
  accountCookie: string;
  accountCsrf: string;
}

export interface BadInput {
  /** what it tries, for the failure message */
  name: string;
  /** the route, as the app registers it: "METHOD /url" */
  endpoint: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: (t: Target) => string;
  headers?: (t: Target) => Record<string, string>;
  /** a string or bytes are sent as they are (content-type from headers, JSON by default); an object is JSON-encoded */
  body?: string | Buffer | object | ((t: Target) => string | Buffer | object);
  /** the refusals that are right for it (default: any 4xx) */
  statuses?: number[];
  /** the refusal's code, when only one is right */
  code?: string;
  /**
   * A page or file that takes no input (or ignores what it does not know): it may answer 2xx/3xx, but the input must
   * not come back in the answer, and nothing may be stored.
   */
  ignored?: true;
}

/** What an injected script looks like in the corpus; no answer may carry it back as it was sent. */
export const MARKER = '<script>alert("corpus")</script>';
const marker = encodeURIComponent(MARKER);

// ---- building blocks ----

const valid = {
  businessName: 'Boulangerie Dupont',
  email: 'marie@example.org',
  domain: 'boulangerie-dupont-sec.fr',
  tier: 'express',
  holder: HOLDER,
  locale: 'fr',
  city: 'Lyon',
  acceptTerms: true,
  earlyStart: true,
};
const FIELDS = [
  'businessName',
  'email',
  'domain',
  'tier',
  'locale',
  'city',
  'paymentProvider',
  'requestedDomain',
  'holder',
  'acceptTerms',
  'termsVersion',
  'customerType',
  'earlyStart',
] as const;
const REQUIRED = ['businessName', 'email', 'domain', 'tier', 'holder'] as const;
/** the holder's text fields a person types */
const HOLDER_TEXT = ['firstName', 'lastName', 'address1', 'city', 'postalCode'] as const;
const TEXT_FIELDS = ['businessName', 'city'] as const;

/** values of the wrong type, for any field */
const WRONG_TYPES: [string, unknown][] = [
  ['a number', 42],
  ['a boolean', true],
  ['null', null],
  ['an array', ['a', 'b']],
  ['an object', { value: 'x' }],
];

/** text a person would not type, each hiding something: line breaks that would open a new email header, invisible or direction-flipping characters */
const SNEAKY_TEXT: [string, string][] = [
  ['CR LF and a Bcc header', 'Dupont\r\nBcc: victim@example.net'],
  ['a bare LF and a header', 'Dupont\nSubject: you won'],
  ['a bare CR', 'Dupont\rX-Injected: 1'],
  ['NUL', 'Dupont\u0000Fils'],
  ['RTL override (U+202E)', 'Dupont\u202Egnp.exe'],
  ['zero-width space', 'Du\u200Bpont'],
  ['zero-width joiner', 'Du\u200Dpont'],
  ['a byte order mark inside', 'Du\uFEFFpont'],
  ['line separator (U+2028)', 'Dupont\u2028Fils'],
  ['paragraph separator (U+2029)', 'Dupont\u2029Fils'],
  ['escape sequence (ANSI)', 'Dupont\u001b[31m'],
  ['DEL', 'Dupont\u007f'],
  ['a C1 control (U+0085)', 'Dupont\u0085Fils'],
  ['left-to-right isolate', 'Dupont\u2066Fils\u2069'],
  ['soft hyphen', 'Du\u00ADpont'],
];

const BAD_EMAILS: [string, string][] = [
  ['no @', 'marie.example.org'],
  ['two @', 'marie@@example.org'],
  ['CRLF Bcc injection', 'marie@example.org\r\nBcc: victim@example.net'],
  ['LF injection', 'marie@example.org\nCc: victim@example.net'],
  ['a comma (two recipients)', 'marie@example.org,victim@example.net'],
  ['a semicolon (two recipients)', 'marie@example.org;victim@example.net'],
  ['angle-bracket display form', 'Marie <marie@example.org>'],
  ['spaces', 'marie @example.org'],
  ['no domain', 'marie@'],
  ['no local part', '@example.org'],
  ['NUL', 'marie\u0000@example.org'],
  ['RTL override', 'marie\u202E@example.org'],
  ['zero-width space', 'ma\u200Brie@example.org'],
  ['script tag', '<script>alert(1)</script>@example.org'],
  ['quoted local part with CRLF', '"a\r\nb"@example.org'],
  ['255 characters', `${'a'.repeat(243)}@example.org`],
  ['IP literal with a path', 'marie@[127.0.0.1]/x'],
  ['empty', ''],
];

const BAD_DOMAINS: [string, string][] = [
  ['empty', ''],
  ['spaces only', '   '],
  ['a TLD we do not sell', 'dupont.xyz'],
  ['no TLD', 'dupont'],
  ['a bare suffix', 'co.uk'],
  ['a subdomain', 'shop.dupont.fr'],
  ['an IPv4 address', '127.0.0.1'],
  ['an IPv6 address', '[::1]'],
  ['mixed-script homograph (Cyrillic а in paypal)', 'p\u0430ypal.com'],
  ['mixed-script homograph (Greek ο in google)', 'g\u03BF\u03BFgle.fr'],
  ['mixed-script punycode (paypal with Cyrillic а)', 'xn--pypal-4ve.com'],
  ['punycode that does not decode', 'xn--zz-.fr'],
  ['a label of 64 characters', `${'a'.repeat(64)}.fr`],
  ['301 characters', `${'a'.repeat(297)}.fr`],
  ['a leading hyphen', '-dupont.fr'],
  ['a trailing hyphen', 'dupont-.fr'],
  ['"ab--" reserved prefix', 'ab--dupont.fr'],
  ['an underscore', 'du_pont.fr'],
  ['a script tag', '<script>alert(1)</script>.fr'],
  ['a quote and an event handler', 'a"onmouseover="alert(1).fr'],
  ['a path traversal', '../../etc/passwd'],
  ['NUL', 'dupont\u0000.fr'],
  ['zero-width space', 'du\u200Bpont.fr'],
  ['RTL override', 'dupont\u202E.fr'],
  ['an emoji', '\u{1F950}.fr'],
  ['a URL with credentials', 'http://user:pass@127.0.0.1/.fr'],
  ['a javascript: URL', 'javascript:alert(1)'],
  ['a percent-encoded dot', 'dupont%2efr'],
  ['a CRLF', 'dupont.fr\r\nX-Injected: 1'],
];

/** a value nested `depth` levels deep: {"a":{"a":...}} */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

function without<T extends object>(o: T, key: string): Partial<T> {
  const copy = { ...o } as Record<string, unknown>;
  delete copy[key];
  return copy as Partial<T>;
}

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const REQUEST = '/api/request-concierge-service';

/** Sets `value` at `path` in a deep copy of `o` ("services.0.name"). */
function withAt(o: object, path: string, value: unknown): any {
  const copy = structuredClone(o) as any;
  const keys = path.split('.');
  let at = copy;
  for (const k of keys.slice(0, -1)) at = at[k] ??= {};
  at[keys.at(-1)!] = value;
  return copy;
}

/** A site document the editor would save; every field set, so that each can be spoiled in turn. */
export const SITE_DOCUMENT = {
  template: 'vitrine',
  locale: 'fr',
  businessName: 'Boulangerie Témoin',
  tagline: 'Pain au levain',
  about: 'Depuis 1990.\n\nAu cœur du quartier.',
  city: 'Lyon',
  services: [{ name: 'Pain', description: 'Au levain, cuit au feu de bois', priceCents: 250 }],
  openingHours: [{ day: 'mon', opens: '08:00', closes: '19:00' }],
  contact: { email: 'temoin@example.org', phone: '+33 1 23 45 67 89', address: '1 rue de la Paix\n69001 Lyon' },
  mapUrl: 'https://www.openstreetmap.org/?mlat=45.76&mlon=4.83',
  colors: { primary: '#1f3a5f', accent: '#e07a5f' },
  legal: {
    legalName: 'Boulangerie Témoin SARL',
    legalForm: 'SARL au capital de 10 000 €',
    registration: 'RCS Lyon 123 456 789',
    vatNumber: 'FR12123456789',
    address: '1 rue de la Paix\n69001 Lyon',
    publicationDirector: 'Marie Témoin',
  },
};
/** one-line text fields of the document (and the picture's alt text), each with its length limit */
const SITE_LINES: [string, number][] = [
  ['businessName', 120],
  ['tagline', 160],
  ['city', 80],
  ['services.0.name', 120],
  ['contact.phone', 40],
  ['pictures.0.alt', 160],
  ['legal.legalName', 160],
  ['legal.legalForm', 120],
  ['legal.registration', 120],
  ['legal.vatNumber', 40],
  ['legal.publicationDirector', 120],
];
/** free-text fields, where line breaks are kept but no other control character */
const SITE_PARAGRAPHS: [string, number][] = [
  ['about', 4000],
  ['services.0.description', 600],
  ['contact.address', 300],
  ['legal.address', 300],
];
const SITE_OTHERS = [
  'template',
  'locale',
  'services.0.priceCents',
  'openingHours.0.day',
  'openingHours.0.opens',
  'openingHours.0.closes',
  'contact.email',
  'mapUrl',
  'colors.primary',
  'colors.accent',
  'logoAssetId',
  'pictures.0.assetId',
];
/** control characters a free-text field refuses (line breaks are fine there: it is page text, never an email header) */
const CONTROL_ONLY = SNEAKY_TEXT.filter(([, v]) => /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]|\r(?!\n)/.test(v));

// ---- the corpus ----

export function corpus(): BadInput[] {
  const out: BadInput[] = [];
  const add = (endpoint: string, name: string, path: BadInput['path'], more: Partial<BadInput> = {}) => {
    const method = endpoint.split(' ')[0] as BadInput['method'];
    out.push({ endpoint, method, name, path, ...more });
  };

  // GET /api/domains/check
  const check = (name: string, query: string, statuses?: number[]) => add('GET /api/domains/check', name, () => `/api/domains/check?${query}`, { statuses });
  check('no name', '');
  check('an empty name', 'name=');
  check('a name given twice (array)', 'name=a.fr&name=b.fr');
  check('lang not offered', 'name=dupont.fr&lang=de');
  for (const [what, value] of BAD_DOMAINS.filter(([w]) => w !== 'empty')) check(`name: ${what}`, `name=${encodeURIComponent(value)}`);
  for (const [what, value] of SNEAKY_TEXT.slice(0, 8)) check(`businessName: ${what}`, `name=dupont.fr&businessName=${encodeURIComponent(value)}`);
  for (const [what, value] of SNEAKY_TEXT.slice(0, 4)) check(`city: ${what}`, `name=dupont.fr&city=${encodeURIComponent(value)}`);
  check('businessName of 121 characters', `name=dupont.fr&businessName=${'a'.repeat(121)}`);
  check('a query string of 200 KB', `name=dupont.fr&businessName=${'a'.repeat(200_000)}`);

  // POST /api/request-concierge-service
  const request = (name: string, body: BadInput['body'], more: Partial<BadInput> = {}) => add(`POST ${REQUEST}`, name, () => REQUEST, { body, ...more });
  for (const f of REQUIRED) request(`missing ${f}`, without(valid, f));
  // (true is the one right value of the consent's flags)
  for (const f of FIELDS)
    for (const [what, v] of WRONG_TYPES.filter(([, v]) => !(v === true && (f === 'acceptTerms' || f === 'earlyStart'))))
      request(`${f} is ${what}`, { ...valid, [f]: v });
  for (const f of [...REQUIRED, 'city'] as const) request(`${f} is empty`, { ...valid, [f]: '' });
  // the holder: each of its fields missing, spoiled, or not what the registries take
  const withHolder = (patch: Record<string, unknown>) => ({ ...valid, holder: { ...HOLDER, ...patch } });
  for (const f of HOLDER_TEXT) {
    request(`holder.${f} missing`, { ...valid, holder: without(HOLDER, f) }, { statuses: [422] });
    for (const [what, v] of SNEAKY_TEXT.slice(0, 6)) request(`holder.${f} with ${what}`, withHolder({ [f]: v }), { statuses: [422] });
    for (const [what, v] of WRONG_TYPES) request(`holder.${f} is ${what}`, withHolder({ [f]: v }), { statuses: [422] });
  }
  request('holder.type not offered', withHolder({ type: 'company' }), { statuses: [422] });
  request('holder.country a name, not a code', withHolder({ country: 'France' }), { statuses: [422], code: 'holder_country_invalid' });
  request('holder.country unassigned', withHolder({ country: 'ZZ' }), { statuses: [422], code: 'holder_country_invalid' });
  request('holder.phone as people write it', withHolder({ phone: '06 12 34 56 78' }), { statuses: [422], code: 'holder_phone_invalid' });
  request('holder.phone with a header', withHolder({ phone: '+33.612345678\r\nBcc: x@example.net' }), { statuses: [422], code: 'holder_phone_invalid' });
  request('holder.birthDate in the future', withHolder({ birthDate: '2999-01-01' }), { statuses: [422], code: 'holder_birth_date_invalid' });
  request('holder.birthDate not a date', withHolder({ birthDate: '1984-02-30' }), { statuses: [422], code: 'holder_birth_date_invalid' });
  request('holder.email not an address', withHolder({ email: 'marie@@example.org' }), { statuses: [422], code: 'email_invalid' });
  request('holder: an organisation without its name', withHolder({ type: 'organization' }), { statuses: [422], code: 'field_required' });
  request('holder.companyId: a French SIREN with a wrong key', withHolder({ type: 'organization', organization: 'Dupont SA', companyId: '732829321' }), {
    statuses: [422],
    code: 'holder_company_id_invalid',
  });
  for (const f of TEXT_FIELDS) request(`${f} is only spaces`, { ...valid, [f]: '    ' });
  request('businessName of 121 characters', { ...valid, businessName: 'a'.repeat(121) });
  request('city of 81 characters', { ...valid, city: 'a'.repeat(81) });
  for (const f of TEXT_FIELDS) for (const [what, v] of SNEAKY_TEXT) request(`${f} with ${what}`, { ...valid, [f]: v });
  // every address that could carry a second header or recipient is refused as an address, with its own code
  for (const [what, v] of BAD_EMAILS)
    request(`email: ${what}`, { ...valid, email: v }, { statuses: [422], code: /^(empty|255 characters)$/.test(what) ? undefined : 'email_invalid' });
  for (const [what, v] of BAD_DOMAINS) request(`domain: ${what}`, { ...valid, domain: v });
  // the name first asked for, malformed or the name ordered itself, is refused before any check (one free after all is refused
  // after its availability check, which records provider calls like any check: test/integration/requested-domain.test.ts)
  for (const [what, v] of BAD_DOMAINS) request(`requestedDomain: ${what}`, { ...valid, requestedDomain: v }, { statuses: [422] });
  request('requestedDomain the same as domain', { ...valid, requestedDomain: valid.domain }, { statuses: [422], code: 'requested_domain_same' });
  // the billing identity: a VAT number malformed, with a wrong key, or of another country is refused before anything is stored
  const billing = { type: 'organization', name: 'Brouwerij BV', address1: 'Kerkstraat 1', postalCode: '1000', city: 'Brussel', country: 'BE' };
  request(
    'billing: a VAT number with a wrong key',
    { ...valid, billing: { ...billing, vatNumber: 'BE0403170702' } },
    { statuses: [422], code: 'vat_number_invalid' },
  );
  request(
    'billing: a VAT number of another country',
    { ...valid, billing: { ...billing, vatNumber: 'FR44732829320' } },
    { statuses: [422], code: 'vat_number_invalid' },
  );
  request('billing: a VAT number with markup', { ...valid, billing: { ...billing, vatNumber: 'BE<script>1' } }, { statuses: [422] });
  request('billing: a country not ISO', { ...valid, billing: { ...billing, country: 'Belgium' } }, { statuses: [422] });
  request('billing: a type not offered', { ...valid, billing: { ...billing, type: 'government' } }, { statuses: [422] });
  request('billing: missing its address', { ...valid, billing: { type: 'individual', name: 'Jo', country: 'FR' } }, { statuses: [422] });
  // the terms: not accepted, another version than the one in force; a consumer who did not ask for the work to start at once
  request('acceptTerms missing', without(valid, 'acceptTerms'), { statuses: [422], code: 'terms_not_accepted' });
  request('acceptTerms false', { ...valid, acceptTerms: false }, { statuses: [422], code: 'terms_not_accepted' });
  request('acceptTerms as the string "true"', { ...valid, acceptTerms: 'true' }, { statuses: [422], code: 'terms_not_accepted' });
  request('termsVersion not in force', { ...valid, termsVersion: '2001-01-01' }, { statuses: [422], code: 'terms_version_outdated' });
  request('termsVersion of markup', { ...valid, termsVersion: MARKER }, { statuses: [422] });
  request('a consumer without earlyStart', without(valid, 'earlyStart'), { statuses: [422], code: 'early_start_required' });
  request('a consumer with earlyStart false', { ...valid, earlyStart: false }, { statuses: [422], code: 'early_start_required' });
  request('customerType not offered', { ...valid, customerType: 'government' }, { statuses: [422] });
  request('tier not offered', { ...valid, tier: 'platinum' });
  request('tier in capitals', { ...valid, tier: 'EXPRESS' });
  request('locale not offered', { ...valid, locale: 'de' });
  request('paymentProvider not offered', { ...valid, paymentProvider: 'bitcoin' });
  request('__proto__ key (prototype pollution)', `{"__proto__":{"isAdmin":true},${JSON.stringify(valid).slice(1)}`);
  request('constructor.prototype key', `{"constructor":{"prototype":{"isAdmin":true}},${JSON.stringify(valid).slice(1)}`);
  request('__proto__ inside a field', { ...valid, businessName: { __proto__: { x: 1 } } });
  request('JSON nested 5,000 levels deep', nested(5_000));
  request('an array nested 20,000 levels deep', '['.repeat(20_000) + ']'.repeat(20_000));
  request('a 70 KB body (over the 64 KB limit)', { ...valid, city: 'a'.repeat(70_000) }, { statuses: [413] });
  request('a 2 MB body', Buffer.alloc(2_000_000, 0x61), { statuses: [413, 400] });
  request('malformed JSON', '{"businessName": "Dupont",', { statuses: [400] });
  request('a JSON string', '"hello"');
  request('a JSON array', JSON.stringify([valid]));
  request('JSON null', 'null');
  request('a JSON number', '42');
  request('an empty body with a JSON content type', '', { statuses: [400, 422] });
  request('a form-encoded body', new URLSearchParams(valid as unknown as Record<string, string>).toString(), {
    headers: () => ({ 'content-type': 'application/x-www-form-urlencoded' }),
    statuses: [415],
  });
  // text/plain is parsed as a string (Fastify's default), which the schema then refuses
  request('text/plain', JSON.stringify(valid), { headers: () => ({ 'content-type': 'text/plain' }), statuses: [415, 422] });
  request('XML', '<order><tier>express</tier></order>', { headers: () => ({ 'content-type': 'application/xml' }), statuses: [415] });
  request('multipart', '--x\r\nContent-Disposition: form-data; name="tier"\r\n\r\nexpress\r\n--x--', {
    headers: () => ({ 'content-type': 'multipart/form-data; boundary=x' }),
    statuses: [415],
  });
  request(
    'invalid UTF-8 bytes (overlong "<")',
    Buffer.concat([Buffer.from('{"businessName":"Dupont \xC0\xBCscript","email":"marie@example.org","domain":"overlong-sec.fr","tier":"express"}', 'latin1')]),
  );
  request(
    'invalid UTF-8 bytes (lone continuation)',
    Buffer.concat([
      Buffer.from('{"businessName":"Dupont '),
      Buffer.from([0x80, 0x80]),
      Buffer.from('","email":"marie@example.org","domain":"lone-sec.fr","tier":"express"}'),
    ]),
  );
  request('UTF-16 body', Buffer.from(JSON.stringify({ ...valid, domain: 'utf16-sec.fr' }), 'utf16le'));
  request('an Idempotency-Key of 7 characters', { ...valid, domain: 'idem-short-sec.fr' }, { headers: () => ({ ...json, 'idempotency-key': 'short12' }) });
  request(
    'an Idempotency-Key of 256 characters',
    { ...valid, domain: 'idem-long-sec.fr' },
    { headers: () => ({ ...json, 'idempotency-key': 'k'.repeat(256) }) },
  );
  request('an Idempotency-Key with a space', { ...valid, domain: 'idem-space-sec.fr' }, { headers: () => ({ ...json, 'idempotency-key': 'key with spaces' }) });
  request(
    'an Idempotency-Key with non-ASCII',
    { ...valid, domain: 'idem-utf-sec.fr' },
    { headers: () => ({ ...json, 'idempotency-key': 'cl\u00e9-\u00e9t\u00e9-2024' }) },
  );

  // every route addressed by a tracking token: tokens that are not one
  const tokens: [string, string][] = [
    ['an unknown token', crypto.randomBytes(24).toString('base64url')],
    ['a short token', 'abc'],
    ['a token of 101 characters', 'a'.repeat(101)],
    ['a token with a quote and markup', '"><script>alert(1)</script>'],
    ['a token with a NUL', 'abc%00def'],
    ['an encoded path traversal', '..%2F..%2Fadmin'],
    ['an SQL injection', "x' OR '1'='1"],
    ['a token with unicode', '\u0430bc'.repeat(12)],
  ];
  const zipBody = { headers: () => ({ 'content-type': 'application/zip' }), body: siteZip() };
  const pngBody = { headers: () => ({ 'content-type': 'image/png' }), body: png(4, 4) };
  const byToken: [string, string, Partial<BadInput>?][] = [
    ['GET /api/concierge/status/:token', ''],
    ['GET /api/concierge/status/:token/events', '/events'],
    ['POST /api/concierge/status/:token/payment-link', '/payment-link'],
    ['POST /api/concierge/status/:token/domain', '/domain', { body: { domain: 'autre-nom.fr' } }],
    ['POST /api/concierge/status/:token/archive', '/archive', zipBody],
    ['DELETE /api/concierge/status/:token/archive', '/archive'],
    ['POST /api/concierge/status/:token/satisfaction', '/satisfaction', { body: { score: 5 } }],
    ['POST /api/concierge/status/:token/auto-renew', '/auto-renew', { body: { on: false } }],
    ['GET /api/concierge/status/:token/invoices', '/invoices'],
    ['GET /api/concierge/status/:token/invoices/:number', '/invoices/F-2026-000001'],
    ['POST /api/concierge/status/:token/withdrawal', '/withdrawal', { body: { confirm: true } }],
    ['GET /api/concierge/status/:token/personal-data', '/personal-data'],
    ['POST /api/concierge/status/:token/erasure', '/erasure', { body: { confirm: true } }],
  ];
  const sites: [string, string, Partial<BadInput>?][] = [
    ['GET /api/sites/:token', ''],
    ['PUT /api/sites/:token', '', { body: { version: 2, document: SITE_DOCUMENT } }],
    ['GET /api/sites/:token/preview', '/preview'],
    ['POST /api/sites/:token/preview', '/preview', { body: { document: SITE_DOCUMENT } }],
    ['POST /api/sites/:token/publish', '/publish'],
    ['POST /api/sites/:token/assets', '/assets?kind=logo', pngBody],
    ['GET /api/sites/:token/assets/:id', `/assets/${crypto.randomUUID()}`],
    ['DELETE /api/sites/:token/assets/:id', `/assets/${crypto.randomUUID()}`],
  ];
  for (const [what, tok] of tokens) {
    const enc = /%/.test(tok) ? tok : encodeURIComponent(tok);
    for (const [endpoint, rest, more] of byToken) add(endpoint, what, () => `/api/concierge/status/${enc}${rest}`, more);
    for (const [endpoint, rest, more] of sites) add(endpoint, what, () => `/api/sites/${enc}${rest}`, more);
    add('GET /pay/:token', what, () => `/pay/${enc}`);
    add('POST /satisfaction/:token', what, () => `/satisfaction/${enc}`, { headers: () => form, body: 'score=5&lang=fr' });
  }
  // the pages named by a token show the single page (which asks the API, and is told 404): only an impossible token is refused
  for (const page of ['suivi', 'track', 'editor']) {
    add(`GET /${page}/:token`, 'a token of 101 characters', () => `/${page}/${'a'.repeat(101)}`, { statuses: [414, 422] });
    add(`GET /${page}/:token`, 'markup in the query', (t) => `/${page}/${t.token}?q=${marker}`, { ignored: true });
    add(`GET /${page}/:token`, 'markup as the token', () => `/${page}/${marker}`, { ignored: true });
  }
  for (const page of ['suivi', 'track'])
    add(`GET /${page}/:token/*`, 'markup in the path and query', (t) => `/${page}/${t.token}/${marker}?x=${marker}`, { ignored: true });

  add('GET /api/concierge/status/:token', 'lang not offered', (t) => `/api/concierge/status/${t.token}?lang=de`);
  add('GET /api/concierge/status/:token/events', 'lang not offered', (t) => `/api/concierge/status/${t.token}/events?lang=xx`);
  const domainBodies: [string, BadInput['body']][] = [
    ['no domain', {}],
    ['domain is a number', { domain: 42 }],
    ['domain is an array', { domain: ['a.fr'] }],
    ['domain is null', { domain: null }],
    ['domain is empty', { domain: '' }],
    ['domain of 301 characters', { domain: 'a'.repeat(301) }],
    ['domain with a script tag', { domain: '<script>alert(1)</script>.fr' }],
    ['domain with CR LF', { domain: 'autre.fr\r\nBcc: victim@example.net' }],
    ['a mixed-script homograph', { domain: 'p\u0430ypal.fr' }],
    ['domain not offered (the order waits for payment)', { domain: 'autre-nom.fr' }],
    ['__proto__ key', '{"__proto__":{"domain":"x.fr"},"domain":"y.fr"}'],
    ['malformed JSON', '{"domain":'],
    ['nested 5,000 levels', nested(5_000)],
  ];
  for (const [what, body] of domainBodies) add('POST /api/concierge/status/:token/domain', what, (t) => `/api/concierge/status/${t.token}/domain`, { body });

  // the automatic renewal switch: a boolean, nothing else
  for (const [what, body] of [
    ['auto-renew: on as text', { on: 'yes' }],
    ['auto-renew: on missing', {}],
    ['auto-renew: on as null', { on: null }],
    ['auto-renew: on as a number', { on: 1 }],
  ] as [string, BadInput['body']][]) {
    add('POST /api/concierge/status/:token/auto-renew', what, (t) => `/api/concierge/status/${t.token}/auto-renew`, { body });
  }

  // "Are you satisfied?": the tracking page's answer (JSON) and the email page's form; the order here was never asked
  const SATISFACTION = 'POST /api/concierge/status/:token/satisfaction';
  const answer = (name: string, body: BadInput['body'], more: Partial<BadInput> = {}) =>
    add(SATISFACTION, name, (t) => `/api/concierge/status/${t.token}/satisfaction`, { body, ...more });
  const scores: [string, unknown][] = [
    ['a score of 0', 0],
    ['a score of 6', 6],
    ['a score of 4.5', 4.5],
    ['a score of -1', -1],
    ['a score as text', '5'],
    ...WRONG_TYPES.filter(([w]) => w !== 'a number'),
  ];
  for (const [what, v] of scores) answer(what, { score: v }, { statuses: [422], code: 'value_not_allowed' });
  answer('no score', { comment: 'Très bien' }, { statuses: [422] });
  answer('a score of 10^400', '{"score":1e400}', { statuses: [422], code: 'value_not_allowed' });
  answer('a comment of 1,001 characters', { score: 4, comment: 'a'.repeat(1001) }, { statuses: [422], code: 'field_too_long' });
  for (const [what, v] of [...CONTROL_ONLY, ['RTL override (U+202E)', 'Dupont\u202Egnp.exe'] as [string, string]])
    answer(`a comment with ${what}`, { score: 4, comment: v }, { statuses: [422], code: 'control_characters' });
  for (const [what, v] of WRONG_TYPES.filter(([w]) => w !== 'null')) answer(`the comment is ${what}`, { score: 4, comment: v }, { statuses: [422] });
  answer('a field it does not know', { score: 4, rating: 5 }, { statuses: [422], code: 'field_unknown' });
  answer('__proto__ key', '{"__proto__":{"score":5},"score":5}', { statuses: [400, 422] });
  answer('malformed JSON', '{"score":', { statuses: [400] });
  answer('an array', [5], { statuses: [422] });
  answer('a good answer to an order never asked', { score: 5 }, { statuses: [404], code: 'satisfaction_not_open' });
  const page = (name: string, body: BadInput['body'], more: Partial<BadInput> = {}) =>
    add('POST /satisfaction/:token', name, (t) => `/satisfaction/${t.token}`, { headers: () => form, body, ...more });
  page('a score of 9', 'score=9', { statuses: [422], code: 'value_not_allowed' });
  page('a score of markup', `score=${marker}`, { statuses: [422], code: 'value_not_allowed' });
  page('no score', 'comment=bien', { statuses: [422] });
  page('a comment of 1,001 characters', `score=4&comment=${'a'.repeat(1001)}`, { statuses: [422], code: 'field_too_long' });
  page('a comment with a bell', 'score=4&comment=ding%07', { statuses: [422], code: 'control_characters' });
  page('a comment with an RTL override', 'score=4&comment=abc%E2%80%AEexe', { statuses: [422], code: 'control_characters' });
  page('a comment with markup', `score=4&comment=${marker}&lang=fr`, { statuses: [404], code: 'satisfaction_not_open' });
  page('percent-escapes that are not UTF-8', 'score=4&comment=%C3%28', { statuses: [400], code: 'body_not_utf8' });
  page('bytes that are not UTF-8', Buffer.concat([Buffer.from('score=4&comment='), Buffer.from([0xff, 0xfe])]), { statuses: [400], code: 'body_not_utf8' });
  page('a form of 20 KB', `score=4&comment=${'a'.repeat(20_000)}`, { statuses: [413] });
  page('lang not offered', 'score=4&lang=de', { statuses: [422] });
  page('a field it does not know', 'score=4&rating=5', { statuses: [422], code: 'field_unknown' });
  page('text/plain', 'score=4', { headers: () => ({ 'content-type': 'text/plain' }), statuses: [415, 422] });
  const GET_PAGE = 'GET /satisfaction/:token';
  add(GET_PAGE, 'a score of 9', (t) => `/satisfaction/${t.token}?score=9`, { statuses: [422] });
  add(GET_PAGE, 'a score of markup', (t) => `/satisfaction/${t.token}?score=${marker}`, { statuses: [422] });
  add(GET_PAGE, 'lang not offered', (t) => `/satisfaction/${t.token}?score=4&lang=de`, { statuses: [422] });
  add(GET_PAGE, 'a token of 101 characters', () => `/satisfaction/${'a'.repeat(101)}?score=4`, { statuses: [414, 422] });
  add(GET_PAGE, 'markup as the token', () => `/satisfaction/${marker}?score=4`, { ignored: true });
  add(GET_PAGE, 'markup in a parameter it does not know', (t) => `/satisfaction/${t.token}?score=4&utm_source=${marker}`, { ignored: true });
  // "stop contacting me": the same page and answer whatever the token, so only malformed input is refused
  for (const method of ['GET', 'POST'] as const) {
    const more = method === 'POST' ? { headers: () => form, body: 'lang=de' } : {};
    add(`${method} /stop/:token`, 'lang not offered', (t) => `/stop/${t.token}${method === 'GET' ? '?lang=de' : ''}`, { statuses: [422], ...more });
    add(`${method} /stop/:token`, 'a token of 101 characters', () => `/stop/${'a'.repeat(101)}`, { statuses: [414, 422], ...more });
    add(`${method} /stop/:token`, 'markup as the token', () => `/stop/${marker}`, {
      ignored: true,
      ...(method === 'POST' ? { headers: () => form, body: 'lang=fr' } : {}),
    });
  }
  add('POST /stop/:token', 'percent-escapes that are not UTF-8', (t) => `/stop/${t.token}`, { headers: () => form, body: 'lang=%C3%28', statuses: [400] });
  add('POST /stop/:token', 'an unknown token (answered as any, nothing stored)', () => `/stop/${crypto.randomBytes(24).toString('base64url')}`, {
    headers: () => form,
    body: 'lang=fr',
    ignored: true,
  });

  // ---- the customer's space: sign-in, session, orders, a domain's DNS records and email forwarding ----
  const LOGIN = 'POST /api/account/login';
  const login = (name: string, body: BadInput['body'], more: Partial<BadInput> = {}) =>
    add(LOGIN, name, () => '/api/account/login', { body, statuses: [422], ...more });
  for (const [what, v] of BAD_EMAILS) login(`email: ${what}`, { email: v });
  for (const [what, v] of WRONG_TYPES) login(`email is ${what}`, { email: v });
  login('no email', {});
  login('lang not offered', { email: 'marie@example.org', lang: 'de' });
  login('a field it does not know', { email: 'marie@example.org', password: 'hunter2' });
  login('an array', ['marie@example.org']);
  login('malformed JSON', '{"email":', { statuses: [400] });
  login('nested 5,000 levels', nested(5_000), { statuses: [400, 413, 422] });
  const SESSION = 'POST /api/account/session';
  const exchange = (name: string, body: BadInput['body'], more: Partial<BadInput> = {}) =>
    add(SESSION, name, () => '/api/account/session', { body, statuses: [422], ...more });
  exchange('an unknown token', { token: crypto.randomBytes(32).toString('base64url') }, { statuses: [400], code: 'sign_in_link_invalid' });
  exchange('markup as the token', { token: MARKER }, { statuses: [400], code: 'sign_in_link_invalid' });
  exchange('an SQL injection as the token', { token: "x' OR '1'='1" }, { statuses: [400], code: 'sign_in_link_invalid' });
  exchange('an empty token', { token: '' });
  exchange('a token of 201 characters', { token: 'a'.repeat(201) });
  for (const [what, v] of WRONG_TYPES) exchange(`the token is ${what}`, { token: v });
  exchange('no token', {});
  exchange('a field it does not know', { token: 'abc', email: 'marie@example.org' });
  // every route behind the session: none, a forged one; and each change without, or with a forged, CSRF token
  const session = (t: Target) => ({ cookie: t.accountCookie, 'x-csrf-token': t.accountCsrf });
  const domainPath = (d: string) => `/api/account/domains/${d}`;
  const TXT = { type: 'TXT', host: '@', value: 'v=spf1 -all' };
  const behind: [string, string, BadInput['body']?][] = [
    ['GET /api/account/session', '/api/account/session'],
    ['POST /api/account/logout', '/api/account/logout'],
    ['GET /api/account', '/api/account'],
    ['GET /api/account/personal-data', '/api/account/personal-data'],
    ['POST /api/account/erasure', '/api/account/erasure', { confirm: true }],
    ['POST /api/account/orders/:id/auto-renew', '/api/account/orders/00000000-0000-4000-8000-000000000000/auto-renew', { on: false }],
    ['GET /api/account/domains/:domain/dns', `${domainPath('boulangerie-temoin.fr')}/dns`],
    ['POST /api/account/domains/:domain/dns', `${domainPath('boulangerie-temoin.fr')}/dns`, TXT],
    ['POST /api/account/domains/:domain/dns/presets/:preset', `${domainPath('boulangerie-temoin.fr')}/dns/presets/google`],
    ['PUT /api/account/domains/:domain/dns/:id', `${domainPath('boulangerie-temoin.fr')}/dns/abcdefghijklmnop`, TXT],
    ['DELETE /api/account/domains/:domain/dns/:id', `${domainPath('boulangerie-temoin.fr')}/dns/abcdefghijklmnop`],
    ['GET /api/account/domains/:domain/email-forwarding', `${domainPath('boulangerie-temoin.fr')}/email-forwarding`],
    ['POST /api/account/domains/:domain/email-forwarding', `${domainPath('boulangerie-temoin.fr')}/email-forwarding`, {}],
    ['DELETE /api/account/domains/:domain/email-forwarding/:mailbox', `${domainPath('boulangerie-temoin.fr')}/email-forwarding/contact`],
    ['GET /api/account/domains/:domain/holder', `${domainPath('boulangerie-temoin.fr')}/holder`],
    ['PUT /api/account/domains/:domain/holder', `${domainPath('boulangerie-temoin.fr')}/holder`, { holder: HOLDER }],
    ['POST /api/account/domains/:domain/transfer', `${domainPath('boulangerie-temoin.fr')}/transfer`],
  ];
  for (const [endpoint, path, body] of behind) {
    add(endpoint, 'no session', () => path, { body, statuses: [401], code: 'not_signed_in' });
    add(endpoint, 'a forged session cookie', () => path, {
      body,
      headers: () => ({ cookie: 'cg_account=forged-session-id' }),
      statuses: [401],
      code: 'not_signed_in',
    });
    add(endpoint, 'an admin’s session cookie', () => path, { body, headers: (t) => ({ cookie: t.adminCookie, 'x-csrf-token': t.csrfToken }), statuses: [401] });
    if (endpoint.startsWith('GET ')) continue;
    add(endpoint, 'a session without its CSRF token', () => path, {
      body,
      headers: (t) => ({ cookie: t.accountCookie }),
      statuses: [403],
      code: 'csrf_mismatch',
    });
    add(endpoint, 'a forged CSRF token', () => path, {
      body,
      headers: (t) => ({ cookie: t.accountCookie, 'x-csrf-token': 'forged' }),
      statuses: [403],
      code: 'csrf_mismatch',
    });
  }
  // the signed-in customer's order is not delivered, and the other order is someone else's: neither is theirs to manage
  for (const [endpoint, path, body] of behind.filter(([e]) => e.includes(':domain'))) {
    add(endpoint, 'a domain not delivered yet', () => path, { body, headers: session, statuses: [404], code: 'account_domain_not_found' });
    const theirs = path.replace('boulangerie-temoin.fr', 'boulangerie-voisine.fr');
    add(endpoint, 'another customer’s domain', () => theirs, { body, headers: session, statuses: [404], code: 'account_domain_not_found' });
    add(endpoint, 'markup as the domain', () => path.replace('boulangerie-temoin.fr', marker), { body, headers: session, statuses: [404] });
    add(endpoint, 'a domain of 254 characters', () => path.replace('boulangerie-temoin.fr', 'a'.repeat(254)), { body, headers: session, statuses: [414, 422] });
  }
  const DNS = 'POST /api/account/domains/:domain/dns';
  const record = (name: string, body: BadInput['body'], more: Partial<BadInput> = {}) =>
    add(DNS, name, () => `${domainPath('boulangerie-temoin.fr')}/dns`, { body, headers: session, statuses: [422], ...more });
  record('no type', { host: '@', value: 'x' });
  record('a type not managed here (NS)', { ...TXT, type: 'NS' });
  record('a type of markup', { ...TXT, type: MARKER });
  record('no value', { type: 'TXT', host: '@' });
  record('a value of 2,101 characters', { ...TXT, value: 'a'.repeat(2101) });
  record('a host of 254 characters', { ...TXT, host: 'a'.repeat(254) });
  record('TTL 59', { ...TXT, ttl: 59 });
  record('TTL 60,001', { ...TXT, ttl: 60_001 });
  record('TTL as text', { ...TXT, ttl: '300' });
  record('priority 65,536', { type: 'MX', host: '@', value: 'mx.example.net', priority: 65_536 });
  record('priority -1', { type: 'MX', host: '@', value: 'mx.example.net', priority: -1 });
  record('a field it does not know', { ...TXT, weight: 5 });
  for (const [what, v] of WRONG_TYPES) record(`the value is ${what}`, { ...TXT, value: v });
  record('__proto__ key', '{"__proto__":{"type":"A"},"type":"TXT","host":"@","value":"x"}', { statuses: [400, 422] });
  record('malformed JSON', '{"type":', { statuses: [400] });
  const PUT_DNS = 'PUT /api/account/domains/:domain/dns/:id';
  const change = (name: string, body: BadInput['body']) =>
    add(PUT_DNS, name, () => `${domainPath('boulangerie-temoin.fr')}/dns/abcdefghijklmnop`, { body, headers: session, statuses: [422] });
  change('no body', {});
  change('TTL 60,001', { ...TXT, ttl: 60_001 });
  change('a type not managed here (URL)', { ...TXT, type: 'URL' });
  add(PUT_DNS, 'an id of 65 characters', () => `${domainPath('boulangerie-temoin.fr')}/dns/${'a'.repeat(65)}`, {
    body: TXT,
    headers: session,
    statuses: [422],
  });
  add('POST /api/account/domains/:domain/dns/presets/:preset', 'a preset that does not exist', () => `${domainPath('boulangerie-temoin.fr')}/dns/presets/aol`, {
    headers: session,
    statuses: [422],
  });
  const FORWARD = 'POST /api/account/domains/:domain/email-forwarding';
  for (const [what, mailbox] of [
    ['a mailbox with a space', 'a b'],
    ['a mailbox with an @', 'a@b'],
    ['a mailbox with CR LF', 'a\r\nBcc: x@example.net'],
    ['a mailbox of markup', MARKER],
    ['a mailbox of 65 characters', 'a'.repeat(65)],
  ])
    add(FORWARD, what, () => `${domainPath('boulangerie-temoin.fr')}/email-forwarding`, { body: { mailbox }, headers: session, statuses: [422] });
  add(FORWARD, 'a forwardTo of its own (only the signed-in address is forwarded to)', () => `${domainPath('boulangerie-temoin.fr')}/email-forwarding`, {
    body: { mailbox: 'contact', forwardTo: 'victim@example.net' },
    headers: session,
    statuses: [422],
  });
  // the holder's contact data: what an order's holder refuses is refused here too, before any registrar call
  const PUT_HOLDER = 'PUT /api/account/domains/:domain/holder';
  const holderChange = (name: string, body: BadInput['body']) =>
    add(PUT_HOLDER, name, () => `${domainPath('boulangerie-temoin.fr')}/holder`, { body, headers: session, statuses: [422] });
  holderChange('no holder', {});
  holderChange('a phone without its calling code', { holder: { ...HOLDER, phone: '0612345678' } });
  holderChange('a country that is not one', { holder: { ...HOLDER, country: 'XX' } });
  holderChange('no address', { holder: without(HOLDER, 'address1') });
  holderChange('a city with CR LF', { holder: { ...HOLDER, city: 'Lyon\r\nBcc: x@example.net' } });
  holderChange('a field it does not know', { holder: HOLDER, registrant: 'someone-else' });
  // another customer's domain, or one never sold: not found, nothing unlocked
  for (const [endpoint, tail] of [
    ['GET /api/account/domains/:domain/holder', 'holder'],
    ['POST /api/account/domains/:domain/transfer', 'transfer'],
  ] as const) {
    for (const d of ['boulangerie-voisine.fr', 'jamais-vendu.fr'])
      add(endpoint, `the domain ${d}`, () => `${domainPath(d)}/${tail}`, { headers: session, statuses: [404], code: 'account_domain_not_found' });
  }
  // the space's renewal switch: a body other than {on: boolean}, an order that is not the address's (or no id at all)
  const AUTO_RENEW = 'POST /api/account/orders/:id/auto-renew';
  const autoRenew = (id: string) => `/api/account/orders/${encodeURIComponent(id)}/auto-renew`;
  add(AUTO_RENEW, 'no on', () => autoRenew('00000000-0000-4000-8000-000000000000'), { body: {}, headers: session, statuses: [422], code: 'field_required' });
  for (const [what, v] of WRONG_TYPES.filter(([, v]) => typeof v !== 'boolean'))
    add(AUTO_RENEW, `on is ${what}`, () => autoRenew('00000000-0000-4000-8000-000000000000'), { body: { on: v }, headers: session, statuses: [422] });
  add(AUTO_RENEW, 'a field it does not know', () => autoRenew('00000000-0000-4000-8000-000000000000'), {
    body: { on: false, orderId: 'x' },
    headers: session,
    statuses: [422],
  });
  for (const [what, id] of [
    ['an order of no one', '00000000-0000-4000-8000-000000000000'],
    ['markup as the id', MARKER],
    ['an SQL injection as the id', "x' OR '1'='1"],
  ])
    add(AUTO_RENEW, what, () => autoRenew(id), { body: { on: false }, headers: session, statuses: [404], code: 'order_not_found' });
  add(AUTO_RENEW, 'an id of 65 characters', () => autoRenew('a'.repeat(65)), { body: { on: false }, headers: session, statuses: [422] });
  // the space's erasure, not confirmed: refused before anything is erased (the session is the customer's own)
  const spaceErasure = (name: string, body: BadInput['body'], more: Partial<BadInput> = {}) =>
    add('POST /api/account/erasure', name, () => '/api/account/erasure', { body, headers: session, statuses: [422], ...more });
  spaceErasure('no confirmation', {}, { code: 'erasure_not_confirmed' });
  spaceErasure('confirm false', { confirm: false }, { code: 'erasure_not_confirmed' });
  spaceErasure('confirm as the string "yes"', { confirm: 'yes' }, { code: 'erasure_not_confirmed' });
  spaceErasure('lang not offered', { confirm: true, lang: 'de' });
  add('GET /api/account/dns-presets', 'markup in a parameter it does not know', () => `/api/account/dns-presets?x=${marker}`, { ignored: true });
  for (const page of ['espace', 'account']) {
    add(`GET /${page}`, 'a sign-in token of 201 characters', () => `/${page}?signin=${'a'.repeat(201)}`, { statuses: [422] });
    add(`GET /${page}`, 'markup as the sign-in token', () => `/${page}?signin=${marker}`, { ignored: true });
    add(`GET /${page}`, 'markup in a parameter it does not know', () => `/${page}?utm=${marker}`, { ignored: true });
  }

  // ---- the site document (PUT saves it, POST …/preview renders it): every field, spoiled in turn ----
  const put = (name: string, body: BadInput['body'], more: Partial<BadInput> = {}) =>
    add('PUT /api/sites/:token', name, (t) => `/api/sites/${t.token}`, { statuses: [422], body, ...more });
  const full = (t: Target) => structuredClone({ ...SITE_DOCUMENT, logoAssetId: t.assetId, pictures: [{ assetId: t.assetId, alt: 'La vitrine' }] });
  const spoil = (path: string, value: unknown) => (t: Target) => ({ version: 2, document: withAt(full(t), path, value) });
  for (const [path, max] of SITE_LINES) {
    for (const [what, v] of SNEAKY_TEXT) put(`document.${path} with ${what}`, spoil(path, v));
    put(`document.${path} of ${max + 1} characters`, spoil(path, (path === 'contact.phone' ? '1' : 'a').repeat(max + 1)), { code: 'field_too_long' });
  }
  for (const [path, max] of SITE_PARAGRAPHS) {
    for (const [what, v] of CONTROL_ONLY) put(`document.${path} with ${what}`, spoil(path, v), { code: 'control_characters' });
    put(`document.${path} of ${max + 1} characters`, spoil(path, 'a'.repeat(max + 1)), { code: 'field_too_long' });
  }
  for (const path of [...SITE_LINES.map(([p]) => p), ...SITE_PARAGRAPHS.map(([p]) => p), ...SITE_OTHERS]) {
    const numeric = path.endsWith('priceCents');
    for (const [what, v] of WRONG_TYPES.filter(
      ([w]) =>
        (w !== 'a number' || !numeric) && (w !== 'null' || !/alt|description|tagline|about|city|phone|address|email|mapUrl|priceCents|logoAssetId/.test(path)),
    )) {
      put(`document.${path} is ${what}`, spoil(path, v));
    }
  }
  for (const path of ['businessName', 'services.0.name']) put(`document.${path} is empty`, spoil(path, '   '), { code: 'field_required' });
  for (const path of ['template', 'locale', 'businessName', 'contact', 'colors', 'colors.primary']) {
    put(`document.${path} missing`, (t) => {
      const doc = full(t) as any;
      const keys = path.split('.');
      delete (keys.length === 2 ? doc[keys[0]!] : doc)[keys.at(-1)!];
      return { version: 2, document: doc };
    });
  }
  const badValues: [string, string, unknown, string?][] = [
    ['template', 'not offered', 'portfolio', 'value_not_allowed'],
    ['template', 'a path', '../vitrine', 'value_not_allowed'],
    ['locale', 'not offered', 'de', 'value_not_allowed'],
    ['colors.primary', 'a colour name', 'red', 'color_invalid'],
    ['colors.primary', 'three digits', '#fff', 'color_invalid'],
    ['colors.accent', 'closing the style and opening a script', '#fff;}</style><script>alert(1)</script>', 'color_invalid'],
    ['colors.accent', 'a CSS expression', 'expression(alert(1))', 'color_invalid'],
    ['colors.accent', 'a CSS url()', 'url(javascript:alert(1))', 'color_invalid'],
    ['colors.primary', 'a CR LF', '#1f3a5f\r\n', 'color_invalid'],
    ['mapUrl', 'javascript:', 'javascript:alert(1)', 'url_invalid'],
    ['mapUrl', 'data:', 'data:text/html,<script>alert(1)</script>', 'url_invalid'],
    ['mapUrl', 'vbscript:', 'vbscript:msgbox(1)', 'url_invalid'],
    ['mapUrl', 'file:', 'file:///etc/passwd', 'url_invalid'],
    ['mapUrl', 'scheme-relative', '//evil.example/map', 'url_invalid'],
    ['mapUrl', 'not a URL', 'la carte', 'url_invalid'],
    ['mapUrl', '2,001 characters', `https://maps.example/${'a'.repeat(1980)}`, 'field_too_long'],
    ['openingHours.0.opens', 'hour 25', '25:00', 'time_invalid'],
    ['openingHours.0.opens', 'no leading zero', '8:00', 'time_invalid'],
    ['openingHours.0.closes', 'markup', '<script>', 'time_invalid'],
    ['openingHours.0.closes', 'the opening time', '08:00', 'hours_same'],
    ['openingHours.0.day', 'not a day', 'monday', 'value_not_allowed'],
    ['services.0.priceCents', 'negative', -1, 'number_out_of_range'],
    ['services.0.priceCents', 'a fraction', 2.5],
    ['services.0.priceCents', 'over a million euros', 100_000_001, 'number_out_of_range'],
    ['contact.email', 'CR LF and a Bcc header', 'temoin@example.org\r\nBcc: victim@example.net', 'email_invalid'],
    ['contact.email', 'two addresses', 'temoin@example.org,victim@example.net', 'email_invalid'],
    ['contact.email', 'markup', '<script>alert(1)</script>@example.org', 'email_invalid'],
    ['contact.phone', 'markup', '<script>alert(1)</script>', 'phone_invalid'],
    ['contact.phone', 'letters', 'call me', 'phone_invalid'],
    ['logoAssetId', 'not a UUID', 'logo.png', 'asset_unknown'],
    ['pictures.0.assetId', 'not a UUID', '../../etc/passwd', 'asset_unknown'],
  ];
  for (const [path, what, v, code] of badValues) put(`document.${path}: ${what}`, spoil(path, v), { code });
  put('document.logoAssetId: a picture that does not exist', (t) => ({ version: 2, document: { ...full(t), logoAssetId: crypto.randomUUID() } }), {
    code: 'asset_unknown',
  });
  put('document.pictures: another order’s picture', (t) => ({ version: 2, document: { ...full(t), pictures: [{ assetId: t.otherAssetId }] } }), {
    code: 'asset_unknown',
  });
  put('61 services', (t) => ({ version: 2, document: { ...full(t), services: Array.from({ length: 61 }, (_, i) => ({ name: `S${i}` })) } }), {
    code: 'too_many_items',
  });
  put('29 opening hours', (t) => ({ version: 2, document: { ...full(t), openingHours: Array.from({ length: 29 }, () => SITE_DOCUMENT.openingHours[0]) } }), {
    code: 'too_many_items',
  });
  put('13 pictures', (t) => ({ version: 2, document: { ...full(t), pictures: Array.from({ length: 13 }, () => ({ assetId: t.assetId })) } }), {
    code: 'too_many_items',
  });
  put('a stale version (another tab saved since)', (t) => ({ version: 1, document: full(t) }), { statuses: [409], code: 'site_version_conflict' });
  add('PUT /api/sites/:token', 'a stale version, on a site never opened in the editor', (t) => `/api/sites/${t.otherToken}`, {
    body: { version: 3, document: SITE_DOCUMENT },
    statuses: [409],
    code: 'site_version_conflict',
  });
  put('a version from the future', (t) => ({ version: 99, document: full(t) }), { statuses: [409], code: 'site_version_conflict' });
  for (const [what, v] of [
    ['0', 0],
    ['-1', -1],
    ['1.5', 1.5],
    ['a string', '2'],
    ['null', null],
  ] as const)
    put(`version ${what}`, (t) => ({ version: v, document: full(t) }));
  put('no version', (t) => ({ document: full(t) }), { code: 'field_required' });
  put('no document', { version: 2 }, { code: 'field_required' });
  put('the document is an array', { version: 2, document: [SITE_DOCUMENT] });
  put('the body is an array', [{ version: 2, document: SITE_DOCUMENT }]);
  put('a body of 300 KB (over the 256 KB limit)', (t) => ({ version: 2, document: { ...full(t), about: 'a'.repeat(300_000) } }), { statuses: [413] });
  put('__proto__ key', `{"__proto__":{"isAdmin":true},"version":2,"document":${JSON.stringify(SITE_DOCUMENT)}}`, { statuses: [400] });
  put('constructor.prototype in the document', `{"version":2,"document":{"constructor":{"prototype":{"x":1}},"template":"vitrine"}}`, { statuses: [400] });
  put('JSON nested 5,000 levels deep', nested(5_000), { statuses: [400, 422] });
  put('malformed JSON', '{"version":2,"document":', { statuses: [400] });
  put('invalid UTF-8', Buffer.concat([Buffer.from('{"version":2,"document":{"businessName":"'), Buffer.from([0xc0, 0xbc]), Buffer.from('"}}')]), {
    statuses: [400],
  });
  put('form-encoded', 'version=2&document=x', { statuses: [415, 422], headers: () => ({ 'content-type': 'application/x-www-form-urlencoded' }) });

  const preview = (name: string, body: BadInput['body'], more: Partial<BadInput> = {}) =>
    add('POST /api/sites/:token/preview', name, (t) => `/api/sites/${t.token}/preview`, { statuses: [422], body, ...more });
  const unsaved = (path: string, value: unknown) => (t: Target) => ({ document: withAt(full(t), path, value) });
  // (a phone number with a line break breaks two rules: no single code then)
  for (const [path] of SITE_LINES)
    preview(`document.${path} with CR LF`, unsaved(path, 'Dupont\r\nX-Injected: 1'), { code: path === 'contact.phone' ? undefined : 'control_characters' });
  for (const [path, , v, code] of badValues.filter(([p]) => p === 'mapUrl' || p.startsWith('colors')))
    preview(`document.${path}: ${String(v).slice(0, 40)}`, unsaved(path, v), { code });
  preview('no document', {}, { code: 'field_required' });
  preview('a body of 300 KB', (t) => ({ document: { ...full(t), about: 'a'.repeat(300_000) } }), { statuses: [413] });

  // publish: the order is not delivered yet
  add('POST /api/sites/:token/publish', 'before delivery', (t) => `/api/sites/${t.token}/publish`, { statuses: [409], code: 'site_not_delivered' });
  add('POST /api/sites/:token/publish', 'with a body', (t) => `/api/sites/${t.token}/publish`, {
    body: { version: 1, force: true },
    statuses: [409],
    code: 'site_not_delivered',
  });

  // pictures: typed by their bytes, bounded in size and dimensions, named without control characters
  const upload = (name: string, body: Buffer | string, more: Partial<BadInput> & { query?: string; type?: string } = {}) => {
    const { query = 'kind=picture', type = 'image/png', ...rest } = more;
    add('POST /api/sites/:token/assets', name, (t) => `/api/sites/${t.token}/assets?${query}`, { body, headers: () => ({ 'content-type': type }), ...rest });
  };
  upload('an empty body', Buffer.alloc(0), { statuses: [422], code: 'image_empty' });
  upload('text called a PNG', 'hello, I am a picture', { query: 'kind=picture&filename=photo.png', statuses: [422], code: 'image_type_unsupported' });
  upload('an SVG with a script', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>', {
    type: 'image/svg+xml',
    statuses: [422],
    code: 'image_type_unsupported',
  });
  upload('HTML sent as image/png', `<!doctype html><html>${MARKER}</html>`, { statuses: [422], code: 'image_type_unsupported' });
  upload('a PNG signature followed by HTML', Buffer.concat([png(1, 1).subarray(0, 8), Buffer.from(`<html>${MARKER}</html>`)]), { statuses: [422] });
  upload('a PNG header without pixels', pngHeader(10, 10), { statuses: [422], code: 'image_corrupt' });
  upload('a PNG claiming 100,000 × 100,000 pixels (decompression bomb)', pngHeader(100_000, 100_000), { statuses: [422], code: 'image_dimensions_too_large' });
  upload('a GIF header with a script after it (polyglot)', Buffer.from(`GIF89a\x01\x00\x01\x00/*${MARKER}*/`, 'latin1'), {
    type: 'image/gif',
    statuses: [422],
  });
  upload('150 KB (over IMAGE_MAX_BYTES)', Buffer.concat([png(1, 1).subarray(0, 8), Buffer.alloc(150_000, 0x41)]), { statuses: [413], code: 'image_too_large' });
  upload('a JSON body', JSON.stringify({ image: 'data:image/png;base64,AAAA' }), { type: 'application/json', statuses: [415] });
  upload('a kind not offered', png(4, 4), { query: 'kind=favicon', statuses: [422] });
  upload('a kind with markup', png(4, 4), { query: `kind=${marker}`, statuses: [422] });
  upload('lang not offered', png(4, 4), { query: 'kind=logo&lang=de', statuses: [422] });
  for (const [what, v] of SNEAKY_TEXT.slice(0, 6))
    upload(`a file name with ${what}`, png(4, 4), { query: `kind=picture&filename=${encodeURIComponent(v)}`, statuses: [422] });
  upload('a file name of 201 characters', png(4, 4), { query: `kind=picture&filename=${'a'.repeat(197)}.png`, statuses: [422] });

  add('GET /api/sites/:token/assets/:id', 'an id that is not a UUID', (t) => `/api/sites/${t.token}/assets/logo.png`, { statuses: [422] });
  add('GET /api/sites/:token/assets/:id', 'a path traversal as the id', (t) => `/api/sites/${t.token}/assets/..%2F..%2Fsites`, { statuses: [404, 422] });
  add('GET /api/sites/:token/assets/:id', 'another order’s picture', (t) => `/api/sites/${t.token}/assets/${t.otherAssetId}`, {
    statuses: [404],
    code: 'asset_not_found',
  });
  add('DELETE /api/sites/:token/assets/:id', 'an id that is not a UUID', (t) => `/api/sites/${t.token}/assets/x`, { statuses: [422] });
  add('DELETE /api/sites/:token/assets/:id', 'a picture that does not exist', (t) => `/api/sites/${t.token}/assets/${crypto.randomUUID()}`, {
    statuses: [404],
    code: 'asset_not_found',
  });
  add('DELETE /api/sites/:token/assets/:id', 'another order’s picture', (t) => `/api/sites/${t.token}/assets/${t.otherAssetId}`, {
    statuses: [404],
    code: 'asset_not_found',
  });
  add(
    'DELETE /api/sites/:token/assets/:id',
    'a picture that does not exist, on a site never opened in the editor',
    (t) => `/api/sites/${t.otherToken}/assets/${crypto.randomUUID()}`,
    { statuses: [404], code: 'asset_not_found' },
  );
  add('DELETE /api/sites/:token/assets/:id', 'the logo the saved document shows', (t) => `/api/sites/${t.token}/assets/${t.assetId}`, {
    statuses: [409],
    code: 'asset_in_use',
  });

  // the archive: a ZIP of a static site, checked entry by entry
  const archive = (name: string, body: Buffer | string, more: Partial<BadInput> = {}) =>
    add('POST /api/concierge/status/:token/archive', name, (t) => `/api/concierge/status/${t.token}/archive`, {
      body,
      headers: () => ({ 'content-type': 'application/zip' }),
      statuses: [422],
      ...more,
    });
  archive('an empty body', Buffer.alloc(0), { code: 'archive_invalid' });
  archive('HTML, not a ZIP', `<html>${MARKER}</html>`, { code: 'archive_invalid' });
  archive(
    'a path that climbs out (zip slip)',
    zip([
      { name: 'index.html', data: 'x' },
      { name: '../../evil.html', data: MARKER },
    ]),
    { code: 'archive_unsafe_path' },
  );
  archive(
    'an absolute path',
    zip([
      { name: 'index.html', data: 'x' },
      { name: '/etc/cron.d/evil', data: 'x' },
    ]),
    { code: 'archive_unsafe_path' },
  );
  archive(
    'a backslash path',
    zip([
      { name: 'index.html', data: 'x' },
      { name: '..\\..\\evil.html', data: 'x' },
    ]),
    { code: 'archive_unsafe_path' },
  );
  archive(
    'a symbolic link',
    zip([
      { name: 'index.html', data: 'x' },
      { name: 'passwd', data: '/etc/passwd', externalAttributes: unixMode(0o120777) },
    ]),
    { code: 'archive_link' },
  );
  archive('no index.html', zip([{ name: 'about.html', data: 'x' }]), { code: 'archive_no_index' });
  archive('a CRC that lies', zip([{ name: 'index.html', data: 'hello', crc: 1 }]), { code: 'archive_corrupt' });
  archive('1.5 MB (over ARCHIVE_MAX_MB)', Buffer.alloc(1_500_000, 0x50), { statuses: [413], code: 'archive_too_large' });
  archive('lang not offered', siteZip(), { statuses: [422] });
  out.at(-1)!.path = (t) => `/api/concierge/status/${t.token}/archive?lang=de`;

  // payment webhooks
  const STRIPE_HOOK = 'POST /api/concierge/webhook/payment';
  const stripe = (name: string, body: string | Buffer, headers: (t: Target) => Record<string, string>, statuses?: number[]) =>
    add(STRIPE_HOOK, name, () => '/api/concierge/webhook/payment', { body, headers: (t) => ({ ...json, ...headers(t) }), statuses });
  const event = (id: unknown, type: unknown = 'checkout.session.completed') =>
    JSON.stringify({
      id,
      object: 'event',
      type,
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: 'cs_forged', payment_status: 'paid', payment_intent: 'pi_forged', amount_total: 1 } },
    });
  const sign = (payload: string | Buffer, secret: string, t = Math.floor(Date.now() / 1000)) =>
    `t=${t},v1=${crypto.createHmac('sha256', secret).update(`${t}.${payload.toString()}`).digest('hex')}`;
  stripe('no signature', event('evt_sec_1'), () => ({}));
  stripe('an empty signature', event('evt_sec_2'), () => ({ 'stripe-signature': '' }));
  stripe('a signature with a wrong secret', event('evt_sec_3'), () => ({ 'stripe-signature': sign(event('evt_sec_3'), 'whsec_wrong') }));
  stripe('a stale signature (10 minutes old)', event('evt_sec_4'), (t) => ({
    'stripe-signature': sign(event('evt_sec_4'), t.stripeSecret, Math.floor(Date.now() / 1000) - 600),
  }));
  stripe('a signature from the future (10 minutes ahead)', event('evt_sec_5'), (t) => ({
    'stripe-signature': sign(event('evt_sec_5'), t.stripeSecret, Math.floor(Date.now() / 1000) + 600),
  }));
  stripe('a tampered body', event('evt_sec_6').replace('cs_forged', 'cs_other'), (t) => ({ 'stripe-signature': sign(event('evt_sec_6'), t.stripeSecret) }));
  stripe('a signature without a timestamp', event('evt_sec_7'), () => ({ 'stripe-signature': `v1=${'0'.repeat(64)}` }));
  stripe('a v0 (test) signature only', event('evt_sec_8'), (t) => ({ 'stripe-signature': sign(event('evt_sec_8'), t.stripeSecret).replace('v1=', 'v0=') }));
  stripe('a signature header of 10 KB', event('evt_sec_9'), () => ({ 'stripe-signature': `t=1,${'v1=0,'.repeat(2_000)}` }));
  stripe('a signature with a bare CR inside (header splitting)', event('evt_sec_11'), () => ({ 'stripe-signature': 't=1,v1=00\rX-Injected: 1' }), [400]);
  stripe('a correctly signed body that is not JSON', 'not json', (t) => ({ 'stripe-signature': sign('not json', t.stripeSecret) }));
  stripe('a correctly signed JSON array', '[1,2]', (t) => ({ 'stripe-signature': sign('[1,2]', t.stripeSecret) }));
  stripe('a correctly signed event without an id', '{"type":"checkout.session.completed"}', (t) => ({
    'stripe-signature': sign('{"type":"checkout.session.completed"}', t.stripeSecret),
  }));
  stripe('a correctly signed event whose id is a number', event(42), (t) => ({ 'stripe-signature': sign(event(42), t.stripeSecret) }));
  stripe('a correctly signed event whose type is an object', event('evt_sec_12', { $ne: null }), (t) => ({
    'stripe-signature': sign(event('evt_sec_12', { $ne: null }), t.stripeSecret),
  }));
  stripe('a correctly signed event with an id of 300 characters', event('e'.repeat(300)), (t) => ({
    'stripe-signature': sign(event('e'.repeat(300)), t.stripeSecret),
  }));
  stripe('a body of 600 KB', Buffer.alloc(600_000, 0x20), () => ({ 'stripe-signature': 't=1,v1=00' }), [413]);
  add(STRIPE_HOOK, 'text/plain', () => '/api/concierge/webhook/payment', {
    body: event('evt_sec_10'),
    headers: () => ({ 'content-type': 'text/plain', 'stripe-signature': 't=1,v1=00' }),
    statuses: [415, 400],
  });
  const paypalHeaders = {
    'paypal-transmission-id': crypto.randomUUID(),
    'paypal-transmission-time': new Date().toISOString(),
    'paypal-transmission-sig': Buffer.from('forged').toString('base64'),
    'paypal-cert-url': 'https://api.paypal.com/v1/notifications/certs/CERT-forged',
    'paypal-auth-algo': 'SHA256withRSA',
  };
  const paypalEvent = JSON.stringify({
    id: 'WH-SEC-FORGED',
    event_type: 'PAYMENT.CAPTURE.COMPLETED',
    resource: { id: 'CAP', amount: { value: '1.00', currency_code: 'EUR' }, supplementary_data: { related_ids: { order_id: 'X' } } },
  });
  const PAYPAL_HOOK = 'POST /api/concierge/webhook/payment/paypal';
  const paypal = (name: string, body: string | Buffer, headers: Record<string, string>, statuses?: number[]) =>
    add(PAYPAL_HOOK, name, () => '/api/concierge/webhook/payment/paypal', { body, headers: () => ({ ...json, ...headers }), statuses });
  paypal('no PayPal headers', paypalEvent, {});
  for (const h of Object.keys(paypalHeaders)) paypal(`without ${h}`, paypalEvent, without(paypalHeaders, h) as Record<string, string>);
  paypal('a forged signature', paypalEvent, paypalHeaders);
  paypal('a cert URL pointing at our own loopback', paypalEvent, { ...paypalHeaders, 'paypal-cert-url': 'http://127.0.0.1:1/cert.pem' });
  paypal('a cert URL pointing at cloud metadata', paypalEvent, { ...paypalHeaders, 'paypal-cert-url': 'http://169.254.169.254/latest/meta-data/' });
  paypal('a transmission time from 2019', paypalEvent, { ...paypalHeaders, 'paypal-transmission-time': '2019-01-01T00:00:00Z' });
  paypal('a transmission time that is not a date', paypalEvent, { ...paypalHeaders, 'paypal-transmission-time': MARKER });
  paypal('a body that is not JSON', 'not json', paypalHeaders);
  paypal('a JSON array body', '[]', paypalHeaders);
  paypal('a body of 600 KB', Buffer.alloc(600_000, 0x20), paypalHeaders, [413]);

  // admin API: every route refuses a caller without the admin's credentials; with them, bad parameters
  const ADMIN_ROUTES: [string, (t: Target) => string, object?][] = [
    ['GET /api/admin/outbox', () => '/api/admin/outbox'],
    ['GET /api/admin/outbox/:id', () => `/api/admin/outbox/${crypto.randomUUID()}`],
    ['GET /api/admin/orders', () => '/api/admin/orders'],
    ['GET /api/admin/orders/:id', () => `/api/admin/orders/${crypto.randomUUID()}`],
    ['POST /api/admin/orders/:id/retry', () => `/api/admin/orders/${crypto.randomUUID()}/retry`, {}],
    ['POST /api/admin/orders/:id/refund', () => `/api/admin/orders/${crypto.randomUUID()}/refund`],
    ['POST /api/admin/orders/:id/resend-email', () => `/api/admin/orders/${crypto.randomUUID()}/resend-email`, { emailId: crypto.randomUUID() }],
    ['GET /api/admin/providers/health', () => '/api/admin/providers/health'],
    ['GET /api/admin/metrics', () => '/api/admin/metrics'],
    ['GET /api/admin/renewals', () => '/api/admin/renewals'],
    ['GET /api/admin/alerts', () => '/api/admin/alerts'],
    ['GET /api/admin/reports/daily', () => '/api/admin/reports/daily'],
    ['GET /api/admin/monitors', () => '/api/admin/monitors'],
    ['POST /api/admin/monitors/:orderId/pause', () => `/api/admin/monitors/${crypto.randomUUID()}/pause`],
    ['POST /api/admin/monitors/:orderId/resume', () => `/api/admin/monitors/${crypto.randomUUID()}/resume`],
    ['GET /api/admin/jobs/failed', () => '/api/admin/jobs/failed'],
    ['POST /api/admin/jobs/:id/retry', () => '/api/admin/jobs/1/retry'],
    ['POST /api/admin/jobs/:id/discard', () => '/api/admin/jobs/1/discard'],
    ['GET /api/admin/audit', () => '/api/admin/audit'],
    ['GET /api/admin/invoices', () => '/api/admin/invoices'],
    ['GET /api/admin/invoices/totals', () => '/api/admin/invoices/totals?from=2026-01-01&to=2026-12-31'],
    ['GET /api/admin/invoices/export.csv', () => '/api/admin/invoices/export.csv?from=2026-01-01&to=2026-12-31'],
    ['GET /api/admin/invoices/export.fec', () => '/api/admin/invoices/export.fec?from=2026-01-01&to=2026-12-31'],
    ['GET /api/admin/invoices/:id/pdf', () => `/api/admin/invoices/${crypto.randomUUID()}/pdf`],
    ['POST /api/admin/orders/:id/refunds', () => `/api/admin/orders/${crypto.randomUUID()}/refunds`, { amountCents: 100, reason: 'test' }],
    ['GET /metrics', () => '/metrics'],
  ];
  const forgeries: [string, (t: Target) => Record<string, string>][] = [
    ['no credentials', () => ({})],
    ['a wrong bearer token', () => ({ authorization: 'Bearer not-the-admin-token-0123456789' })],
    ['a bearer token with a prefix of the real one', (t) => ({ authorization: `Bearer ${t.adminToken.slice(0, -1)}` })],
    ['Basic instead of Bearer', (t) => ({ authorization: `Basic ${Buffer.from(`admin:${t.adminToken}`).toString('base64')}` })],
    ['a forged session cookie', () => ({ cookie: 'cg_admin=forged-session-value' })],
    ['an empty session cookie', () => ({ cookie: 'cg_admin=' })],
    ['a session cookie that does not percent-decode', () => ({ cookie: 'cg_admin=%E0%A4%A' })],
    ['the admin token as a cookie', (t) => ({ cookie: `cg_admin=${t.adminToken}` })],
  ];
  for (const [endpoint, path, body] of ADMIN_ROUTES) {
    for (const [what, headers] of forgeries) add(endpoint, what, path, { headers, body, statuses: [401] });
  }
  // the metrics token opens /metrics and nothing else
  for (const [endpoint, path, body] of ADMIN_ROUTES.filter(([e]) => e !== 'GET /metrics')) {
    add(endpoint, 'the metrics token', path, { headers: (t) => ({ authorization: `Bearer ${t.metricsToken}` }), body, statuses: [401] });
  }
  // a session cookie without its CSRF token cannot change anything
  for (const [endpoint, path, body] of ADMIN_ROUTES.filter(([e]) => e.startsWith('POST'))) {
    add(endpoint, 'a session without its CSRF token', path, { headers: (t) => ({ cookie: t.adminCookie }), body, statuses: [403], code: 'csrf_invalid' });
    add(endpoint, 'a session with a wrong CSRF token', path, {
      headers: (t) => ({ cookie: t.adminCookie, 'x-csrf-token': 'forged-csrf-token' }),
      body,
      statuses: [403],
      code: 'csrf_invalid',
    });
  }
  const admin = (endpoint: string, name: string, path: (t: Target) => string, more: Partial<BadInput> = {}) => add(endpoint, name, path, more);
  const bearer = (t: Target) => ({ authorization: `Bearer ${t.adminToken}` });
  admin('GET /api/admin/orders/:id', 'an order id that is not a UUID', () => '/api/admin/orders/not-a-uuid', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/orders/:id', 'an order id with SQL', () => `/api/admin/orders/${encodeURIComponent("1' or '1'='1")}`, {
    headers: bearer,
    statuses: [422],
  });
  admin('GET /api/admin/orders/:id', 'an unknown order', () => `/api/admin/orders/${crypto.randomUUID()}`, { headers: bearer, statuses: [404] });
  admin('GET /api/admin/orders/:id', 'lang not offered', () => `/api/admin/orders/${crypto.randomUUID()}?lang=de`, { headers: bearer, statuses: [422] });
  admin('POST /api/admin/orders/:id/refund', 'refund of an unknown order', () => `/api/admin/orders/${crypto.randomUUID()}/refund`, {
    headers: bearer,
    statuses: [404],
  });
  admin('POST /api/admin/orders/:id/retry', 'retry of an unknown order', () => `/api/admin/orders/${crypto.randomUUID()}/retry`, {
    headers: bearer,
    body: {},
    statuses: [404],
  });
  admin('POST /api/admin/orders/:id/retry', 'retry with a step of 41 characters', () => `/api/admin/orders/${crypto.randomUUID()}/retry`, {
    headers: bearer,
    body: { step: 's'.repeat(41) },
    statuses: [422],
  });
  admin('POST /api/admin/orders/:id/resend-email', 'without emailId', () => `/api/admin/orders/${crypto.randomUUID()}/resend-email`, {
    headers: bearer,
    body: {},
    statuses: [422],
  });
  admin('POST /api/admin/orders/:id/resend-email', 'a bad emailId', () => `/api/admin/orders/${crypto.randomUUID()}/resend-email`, {
    headers: bearer,
    body: { emailId: '<script>' },
    statuses: [422],
  });
  admin('GET /api/admin/orders', 'limit of 100,000', () => '/api/admin/orders?limit=100000', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/orders', 'limit of -1', () => '/api/admin/orders?limit=-1', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/orders', 'a search of 201 characters', () => `/api/admin/orders?q=${'a'.repeat(201)}`, { headers: bearer, statuses: [422] });
  admin('GET /api/admin/orders', 'an unknown tier', () => '/api/admin/orders?tier=gold', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/orders', 'atRisk not a boolean', () => '/api/admin/orders?atRisk=maybe', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/orders', 'a state of 41 characters', () => `/api/admin/orders?state=${'s'.repeat(41)}`, { headers: bearer, statuses: [422] });
  admin('GET /api/admin/invoices', 'a kind not offered', () => '/api/admin/invoices?kind=receipt', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/invoices/totals', 'a period that is not dates', () => '/api/admin/invoices/totals?from=yesterday&to=today', {
    headers: bearer,
    statuses: [422],
  });
  admin('GET /api/admin/invoices/export.fec', 'no period', () => '/api/admin/invoices/export.fec', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/invoices/:id/pdf', 'an id that is not a UUID', () => '/api/admin/invoices/1%20or%201=1/pdf', { headers: bearer, statuses: [422] });
  admin('POST /api/admin/orders/:id/refunds', 'a negative amount', () => `/api/admin/orders/${crypto.randomUUID()}/refunds`, {
    headers: bearer,
    body: { amountCents: -5, reason: 'x' },
    statuses: [422],
  });
  admin('POST /api/admin/orders/:id/refunds', 'an unknown order', () => `/api/admin/orders/${crypto.randomUUID()}/refunds`, {
    headers: bearer,
    body: { reason: 'x' },
    statuses: [404],
  });
  admin('GET /api/admin/outbox', 'limit of 0', () => '/api/admin/outbox?limit=0', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/outbox', 'limit that is not a number', () => '/api/admin/outbox?limit=lots', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/outbox', 'a state not offered', () => '/api/admin/outbox?state=lost', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/outbox/:id', 'an id that is not a UUID', () => `/api/admin/outbox/${encodeURIComponent("1' or '1'='1")}`, {
    headers: bearer,
    statuses: [422],
  });
  admin('GET /api/admin/outbox/:id', 'an unknown email', () => `/api/admin/outbox/${crypto.randomUUID()}`, { headers: bearer, statuses: [404] });
  // the lists' cursors are opaque to the client and checked on the way back: anything forged is a 422, never a database error
  const cursorOf = (...values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
  // [route, path, the list's name in its cursors, how many keys they carry]
  const LISTS: [string, string, string, number][] = [
    ['GET /api/admin/orders', '/api/admin/orders', 'orders', 2],
    ['GET /api/admin/alerts', '/api/admin/alerts', 'alerts', 2],
    ['GET /api/admin/monitors', '/api/admin/monitors', 'monitors', 3],
    ['GET /api/admin/outbox', '/api/admin/outbox', 'outbox', 2],
    ['GET /api/admin/jobs/failed', '/api/admin/jobs/failed', 'failed-jobs', 2],
    ['GET /api/admin/audit', '/api/admin/audit', 'audit', 1],
  ];
  for (const [endpoint, path, name, keys] of LISTS) {
    admin(endpoint, 'limit of 101', () => `${path}?limit=101`, { headers: bearer, statuses: [422] });
    admin(endpoint, 'a cursor that is not base64url', () => `${path}?cursor=${marker}`, { headers: bearer, statuses: [422], code: 'cursor_invalid' });
    admin(endpoint, 'a cursor of 2,001 characters', () => `${path}?cursor=${'A'.repeat(2001)}`, { headers: bearer, statuses: [422] });
    admin(endpoint, 'a cursor with SQL in its keys', () => `${path}?cursor=${cursorOf(name, ...Array(keys).fill("1' or '1'='1"))}`, {
      headers: bearer,
      statuses: [422],
      code: 'cursor_invalid',
    });
    admin(endpoint, 'a cursor with a key past bigint', () => `${path}?cursor=${cursorOf(name, ...Array(keys).fill('9'.repeat(40)))}`, {
      headers: bearer,
      statuses: [422],
      code: 'cursor_invalid',
    });
    admin(endpoint, 'a cursor with keys missing', () => `${path}?cursor=${cursorOf(name)}`, { headers: bearer, statuses: [422], code: 'cursor_invalid' });
    admin(endpoint, 'a cursor holding an object', () => `${path}?cursor=${Buffer.from('{"__proto__":{"x":1}}').toString('base64url')}`, {
      headers: bearer,
      statuses: [422],
      code: 'cursor_invalid',
    });
  }
  admin(
    'GET /api/admin/monitors',
    'a cursor with a NUL character in its name key',
    () => `/api/admin/monitors?cursor=${cursorOf('monitors', '0', 'a\u0000b', crypto.randomUUID())}`,
    { headers: bearer, statuses: [422], code: 'cursor_invalid' },
  );
  admin('GET /api/admin/orders', 'a creation time that is not one', () => `/api/admin/orders?createdFrom=${encodeURIComponent("2024-01-01' or 1=1 --")}`, {
    headers: bearer,
    statuses: [422],
  });
  admin('GET /api/admin/orders', 'a provider not offered', () => '/api/admin/orders?provider=bitcoin', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/alerts', 'a severity not offered', () => '/api/admin/alerts?severity=meh', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/audit', 'an actor not offered', () => '/api/admin/audit?actor=root', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/metrics', 'a window that is not one', () => `/api/admin/metrics?window=${marker}`, { headers: bearer, statuses: [422] });
  admin('GET /api/admin/metrics', 'a window of 401 days', () => '/api/admin/metrics?window=401d', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/metrics', 'a window of minus one hour', () => '/api/admin/metrics?window=-1h', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/alerts', 'a rule of 61 characters', () => `/api/admin/alerts?rule=${'r'.repeat(61)}`, { headers: bearer, statuses: [422] });
  admin('GET /api/admin/alerts', 'limit of 501', () => '/api/admin/alerts?limit=501', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/alerts', 'a state not offered', () => '/api/admin/alerts?state=closed', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/reports/daily', 'a date that is not one', () => '/api/admin/reports/daily?date=2024-02-30', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/reports/daily', 'a date with SQL', () => `/api/admin/reports/daily?date=${encodeURIComponent("2024-01-01' or 1=1 --")}`, {
    headers: bearer,
    statuses: [422],
  });
  admin('GET /api/admin/reports/daily', 'a day to come', () => '/api/admin/reports/daily?date=2999-01-01', {
    headers: bearer,
    statuses: [422],
    code: 'report_day_in_future',
  });
  admin('GET /api/admin/monitors', 'a status not offered', () => '/api/admin/monitors?status=sideways', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/monitors', 'limit of 1,001', () => '/api/admin/monitors?limit=1001', { headers: bearer, statuses: [422] });
  admin('GET /api/admin/monitors', 'a search of 201 characters', () => `/api/admin/monitors?q=${'q'.repeat(201)}`, { headers: bearer, statuses: [422] });
  admin('POST /api/admin/monitors/:orderId/pause', 'an order id that is not one', () => `/api/admin/monitors/${encodeURIComponent("1' or '1'='1")}/pause`, {
    headers: bearer,
    statuses: [422],
  });
  admin('POST /api/admin/monitors/:orderId/pause', 'no such monitor', () => `/api/admin/monitors/${crypto.randomUUID()}/pause`, {
    headers: bearer,
    statuses: [409],
  });
  admin('POST /api/admin/monitors/:orderId/resume', 'an order id that is not one', () => `/api/admin/monitors/${marker}/resume`, {
    headers: bearer,
    statuses: [422],
  });
  admin('POST /api/admin/monitors/:orderId/resume', 'no such monitor', () => `/api/admin/monitors/${crypto.randomUUID()}/resume`, {
    headers: bearer,
    statuses: [409],
  });
  admin('GET /api/admin/jobs/failed', 'limit of 501', () => '/api/admin/jobs/failed?limit=501', { headers: bearer, statuses: [422] });
  admin('POST /api/admin/jobs/:id/retry', 'a job id that is not a number', () => `/api/admin/jobs/${encodeURIComponent('1;drop table orders')}/retry`, {
    headers: bearer,
    statuses: [422],
  });
  admin('POST /api/admin/jobs/:id/retry', 'a job id past bigint', () => `/api/admin/jobs/${'9'.repeat(19)}/retry`, { headers: bearer, statuses: [422] });
  admin('POST /api/admin/jobs/:id/retry', 'no such job', () => '/api/admin/jobs/999999999999/retry', { headers: bearer, statuses: [404] });
  admin('POST /api/admin/jobs/:id/discard', 'a negative job id', () => '/api/admin/jobs/-1/discard', { headers: bearer, statuses: [422] });
  admin('POST /api/admin/jobs/:id/discard', 'no such job', () => '/api/admin/jobs/999999999999/discard', { headers: bearer, statuses: [404] });
  admin('GET /api/admin/audit', 'limit of 0', () => '/api/admin/audit?limit=0', { headers: bearer, statuses: [422] });
  admin('POST /api/admin/login', 'a wrong password', () => '/api/admin/login', { body: { password: 'wrong password' }, statuses: [401] });
  admin('POST /api/admin/login', 'no password', () => '/api/admin/login', { body: {}, statuses: [422] });
  admin('POST /api/admin/login', 'a password object', () => '/api/admin/login', { body: { password: { $ne: null } }, statuses: [422] });
  admin('POST /api/admin/login', 'a password of 201 characters', () => '/api/admin/login', { body: { password: 'p'.repeat(201) }, statuses: [422] });
  admin('POST /api/admin/login', 'an SQL injection', () => '/api/admin/login', { body: { password: "' OR '1'='1" }, statuses: [401] });
  admin('POST /api/admin/login', 'the admin token as the password', () => '/api/admin/login', {
    body: { password: 'test-admin-token-0123456789abcdef' },
    statuses: [401],
  });
  admin('GET /api/admin/session', 'a forged cookie', () => '/api/admin/session', { headers: () => ({ cookie: 'cg_admin=forged' }), statuses: [401] });
  admin('GET /api/admin/session', 'a cookie that does not percent-decode', () => '/api/admin/session', {
    headers: () => ({ cookie: 'cg_admin=%E0%A4%A' }),
    statuses: [401],
  });
  // logging out ends the session the cookie names, if any: with a forged one there is nothing to end
  admin('POST /api/admin/logout', 'a forged cookie', () => '/api/admin/logout', { headers: () => ({ cookie: 'cg_admin=forged' }), ignored: true });
  admin('POST /api/admin/logout', 'a cookie that does not percent-decode', () => '/api/admin/logout', {
    headers: () => ({ cookie: 'cg_admin=%E0%A4%A' }),
    ignored: true,
  });

  // the demo endpoint (sandbox only)
  const demo = (name: string, body: BadInput['body']) => add('POST /api/test/concierge/demo', name, () => '/api/test/concierge/demo', { body });
  demo('no scenario', {});
  demo('an unknown scenario', { scenario: 'drop_tables' });
  demo('scenario is a number', { scenario: 1 });
  demo('a timeout of 10,000 s', { scenario: 'available', timeoutSeconds: 10_000 });
  demo('a timeout of 1 s', { scenario: 'available', timeoutSeconds: 1 });
  demo('a payment provider not offered', { scenario: 'available', paymentProvider: 'cash' });
  demo('a JSON array', [{ scenario: 'available' }]);
  demo('__proto__ key', '{"__proto__":{"scenario":"available"}}');

  // the payment pages PayPal and Stripe send the buyer back to
  for (const page of ['return', 'cancel']) {
    const endpoint = `GET /payment/${page}`;
    add(endpoint, 'an order token of 101 characters', () => `/payment/${page}?order=${'a'.repeat(101)}`, { statuses: [422] });
    add(endpoint, 'lang not offered', (t) => `/payment/${page}?order=${t.token}&lang=de`, { statuses: [422] });
    add(endpoint, 'markup in every parameter', () => `/payment/${page}?order=${marker}&token=${marker}&PayerID=${marker}&x=${marker}`, { ignored: true });
  }
  // a made-up PayPal order id on the return page of a real (PayPal) order: the page shows, and nothing is queued
  add(
    'GET /payment/return',
    'a PayPal order id that is not the order’s',
    (t) => `/payment/return?order=${t.otherToken}&token=FORGED${crypto.randomBytes(6).toString('hex')}&PayerID=ATTACKER`,
    { ignored: true },
  );
  add('GET /payment/return', 'another order’s token with this one’s approval', (t) => `/payment/return?order=${t.token}&token=NOT-ITS-ORDER&PayerID=X`, {
    ignored: true,
  });

  // a customer's erasure, not confirmed: refused before anything is erased
  const erasure = (name: string, body: BadInput['body'], more: Partial<BadInput> = {}) =>
    add('POST /api/concierge/status/:token/erasure', name, (t) => `/api/concierge/status/${t.token}/erasure`, { body, statuses: [422], ...more });
  erasure('no confirmation', {}, { code: 'erasure_not_confirmed' });
  erasure('confirm false', { confirm: false }, { code: 'erasure_not_confirmed' });
  erasure('confirm as the string "yes"', { confirm: 'yes' }, { code: 'erasure_not_confirmed' });
  erasure('lang not offered', { confirm: true, lang: 'de' });
  erasure('a JSON array', '[true]');
  // the legal pages: a version or a text that does not exist, a text that is not a hash
  for (const path of ['/conditions-generales', '/terms', '/confidentialite', '/privacy']) {
    add(`GET ${path}`, 'a version never published', () => `${path}?version=1999-01-01`, { statuses: [404] });
    add(`GET ${path}`, 'a version of markup', () => `${path}?version=${marker}`, { statuses: [404] });
    add(`GET ${path}`, 'a version of 41 characters', () => `${path}?version=${'a'.repeat(41)}`, { statuses: [422] });
    add(`GET ${path}`, 'a text that is not a sha256', () => `${path}?text=${marker}`, { statuses: [422] });
    add(`GET ${path}`, 'a text never published', () => `${path}?text=${'0'.repeat(64)}`, { statuses: [404] });
  }

  // pages and files that take no input: whatever is added to them is not echoed, and nothing is stored
  for (const endpoint of [
    'GET /api/legal',
    'GET /mentions-legales',
    'GET /legal-notice',
    'GET /',
    'GET /admin',
    'GET /healthz',
    'GET /api/prices',
    'GET /favicon.svg',
    'GET /docs',
    'GET /docs/json',
    'GET /docs/yaml',
    'GET /docs/static/index.html',
    'GET /docs/static/swagger-initializer.js',
  ]) {
    const path = endpoint.slice(4);
    add(endpoint, 'markup in the query', () => `${path}?q=${marker}&url=${marker}&configUrl=${encodeURIComponent('https://evil.example/x.json')}`, {
      ignored: true,
    });
  }
  add('GET /admin/*', 'markup in the path and query', () => `/admin/${marker}?q=${marker}`, { ignored: true });
  add('GET /admin/*', 'a path traversal', () => '/admin/..%2F..%2Fetc%2Fpasswd', { ignored: true });
  add('GET /docs/static/*', 'a path traversal (encoded)', () => '/docs/static/..%2F..%2F..%2Fpackage.json', { statuses: [400, 403, 404] });
  add('GET /docs/static/*', 'a file that is not there', () => '/docs/static/nothing-here.js', { statuses: [404] });
  add('GET /docs/static/*', 'a NUL in the name', () => '/docs/static/index.html%00.js', { statuses: [400, 403, 404] });
  add('GET /assets/:file', 'a path traversal (encoded)', () => '/assets/..%2F..%2Fpackage.json', { statuses: [404] });
  add('GET /assets/:file', 'a dot file', () => '/assets/.env', { statuses: [404] });
  add('GET /assets/:file', 'a name of 201 characters', () => `/assets/${'a'.repeat(197)}.js`, { statuses: [414, 422] });
  add('GET /assets/:file', 'a file that is not there', () => '/assets/index-00000000.js', { statuses: [404] });
  add('GET /assets/:file', 'markup as the name', () => `/assets/${marker}`, { statuses: [404] });
  add('GET /healthz', 'a URL of 20 KB', () => `/healthz?${'a'.repeat(20_000)}`, { statuses: [414, 431, 400] });
  add('GET /api/prices', 'a header of 20 KB', () => '/api/prices', { headers: () => ({ 'x-padding': 'a'.repeat(20_000) }), statuses: [431] });
  add('GET /api/prices', 'a header with a bare CR inside (header splitting)', () => '/api/prices', {
    headers: () => ({ 'x-note': 'a\rx-injected: 1' }),
    statuses: [400],
  });
  add('GET /api/prices', 'a header with a bare LF inside', () => '/api/prices', { headers: () => ({ 'x-note': 'a\nx-injected: 1' }), statuses: [400] });

  return out;
}

// ---- sending ----

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

/** One request from `from` (a loopback address of its own, so per-client rate limits do not mask what is being tested). */
export function send(
  baseUrl: string,
  input: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer | object },
  from?: string,
): Promise<Answer> {
  const u = new URL(input.path, baseUrl);
  const body = input.body === undefined ? undefined : typeof input.body === 'string' || Buffer.isBuffer(input.body) ? input.body : JSON.stringify(input.body);
  const headers: Record<string, string> = { ...(body !== undefined ? json : {}), ...input.headers };
  // Node's client refuses to send a header with a line break in it; an attacker's client does not
  if (Object.values(headers).some((v) => /[\r\n]/.test(v))) return sendRaw(u, input.method, headers, body, from);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: input.method, headers, localAddress: from, agent: false, timeout: 20_000 },
      (res) => {
        const chunks: Buffer[] = [];
        // an SSE stream that (wrongly) opened would never end: keep what came in the first second
        const cut = setTimeout(() => res.destroy(), 1_000);
        const done = () => {
          clearTimeout(cut);
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parsed });
        };
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', done);
        res.on('close', done);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The same request written byte by byte on a socket (headers as given, CR and LF included), the answer read until the server closes. */
function sendRaw(u: URL, method: string, headers: Record<string, string>, body: string | Buffer | undefined, from?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port), localAddress: from });
    const chunks: Buffer[] = [];
    socket.setTimeout(20_000, () => socket.destroy(new Error('timeout')));
    socket.on('connect', () => {
      const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
      const head = { host: u.host, connection: 'close', ...headers, ...(body !== undefined ? { 'content-length': String(payload.length) } : {}) };
      socket.write(
        `${method} ${u.pathname}${u.search} HTTP/1.1\r\n${Object.entries(head)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}\r\n`,
      );
      socket.end(payload);
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const answerHeaders: http.IncomingHttpHeaders = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        if (i > 0) answerHeaders[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const text = rest.join('\r\n\r\n');
      let parsed: any;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers: answerHeaders, text, json: parsed });
    });
  });
}

/** The loopback address of client number i (127.0.3.1 ...). */
export function clientAddress(i: number): string {
  return `127.${3 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${1 + (i % 250)}`;
}

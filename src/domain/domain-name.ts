// What the customer typed, turned into one registrable domain name (ASCII and Unicode forms), or a stable error code.
import punycode from 'punycode/punycode.js';
import { getDomain, getPublicSuffix } from 'tldts';
import { AppError } from '../errors.ts';

export interface DomainName {
  /** the whole name as the DNS sees it: lowercase, punycode ("xn--caf-dma.fr") */
  ascii: string;
  /** the same name as people read it ("café.fr") */
  unicode: string;
  /** the registrable label without its suffix, ASCII ("xn--caf-dma") */
  label: string;
  /** the public suffix, ASCII ("fr", "co.uk") */
  tld: string;
}

export type DomainNameErrorCode =
  | 'domain_empty'
  | 'domain_invalid_characters'
  | 'domain_label_too_long'
  | 'domain_too_long'
  | 'domain_hyphen'
  | 'domain_not_registrable'
  | 'domain_mixed_script'
  | 'domain_tld_not_sold';

const MAX_LABEL = 63;
const MAX_NAME = 253;

function refuse(code: DomainNameErrorCode, params: Record<string, unknown> = {}): never {
  throw new AppError(code, 422, params);
}

/** "xn--caf-dma.fr" → "café.fr"; names that are not valid punycode come back unchanged. */
export function toUnicode(ascii: string): string {
  try {
    return punycode.toUnicode(ascii);
  } catch {
    return ascii;
  }
}

/**
 * Parse what a customer typed ("  https://www.Café.fr/menu ") into a name we can sell.
 * `soldTlds` is the catalogue (config.tlds): a valid name under another suffix is refused too.
 */
export function parseDomainName(input: string, soldTlds: string[]): DomainName {
  const host = extractHost(typeof input === 'string' ? input : '');
  if (host === '') refuse('domain_empty');

  const labels = host.split('.').map(toAsciiLabel);
  const ascii = labels.join('.');
  if (ascii.length > MAX_NAME) refuse('domain_too_long', { max: MAX_NAME, length: ascii.length });

  const registrable = getDomain(ascii);
  const tld = getPublicSuffix(ascii);
  // getDomain is null for a bare suffix ("co.uk"); a longer name means a subdomain the customer cannot buy on its own.
  if (!registrable || !tld) refuse('domain_not_registrable', { domain: ascii });
  if (registrable !== ascii) refuse('domain_not_registrable', { domain: ascii, registrable });

  const sold = soldTlds.map((t) => t.toLowerCase().replace(/^\./, ''));
  if (!sold.includes(tld)) refuse('domain_tld_not_sold', { tld, sold: soldTlds });

  return { ascii, unicode: toUnicode(ascii), label: ascii.slice(0, -(tld.length + 1)), tld };
}

/** Strip everything around the host name people paste: scheme, path, port, trailing dot, "www.". */
function extractHost(input: string): string {
  let s = input
    .normalize('NFC')
    .trim()
    .toLowerCase()
    // ideographic and full-width full stops are dots to IDNA (UTS #46), and IMEs type them
    .replace(/[\u3002\uff0e\uff61]/g, '.');
  s = s.replace(/^https?:\/\//, '');
  s = s.replace(/[/?#].*$/, '');
  s = s.replace(/:\d*$/, '');
  s = s.replace(/\.$/, '');
  // "www.fr" is itself a name under .fr; only strip www when a registrable name remains
  if (s.startsWith('www.') && s.indexOf('.', 4) !== -1) s = s.slice(4);
  return s;
}

/** Validate one label and return its ASCII (punycode) form. */
function toAsciiLabel(label: string): string {
  if (label === '') refuse('domain_invalid_characters', { reason: 'empty_label' });

  let unicode = label;
  if (label.startsWith('xn--')) {
    // a pasted punycode label must decode, and decode to something we would have accepted typed in Unicode
    try {
      unicode = punycode.toUnicode(label);
    } catch {
      refuse('domain_invalid_characters', { label });
    }
    if (unicode === label || punycode.toASCII(unicode) !== label) refuse('domain_invalid_characters', { label });
  }

  if (!/^[\p{L}\p{M}\p{Nd}-]+$/u.test(unicode)) refuse('domain_invalid_characters', { label });
  const scripts = scriptsOf(unicode);
  if (!isSingleScript(scripts)) refuse('domain_mixed_script', { label: unicode, scripts: [...scripts] });

  const ascii = /^[\x00-\x7f]*$/.test(unicode) ? unicode : punycode.toASCII(unicode);
  if (!/^[a-z0-9-]+$/.test(ascii)) refuse('domain_invalid_characters', { label });
  if (ascii.length > MAX_LABEL) refuse('domain_label_too_long', { label: ascii, max: MAX_LABEL });
  if (ascii.startsWith('-') || ascii.endsWith('-')) refuse('domain_hyphen', { label: ascii });
  // "ab--cd" is reserved for IDNA-style prefixes (RFC 5891 §4.2.3.1); only "xn--" is in use
  if (ascii.slice(2, 4) === '--' && !ascii.startsWith('xn--')) refuse('domain_hyphen', { label: ascii });
  return ascii;
}

const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Devanagari',
  'Bengali',
  'Tamil',
  'Thai',
  'Han',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Hangul',
] as const;
const scriptTests = SCRIPTS.map((s) => [s, new RegExp(`\\p{Script=${s}}`, 'u')] as const);

/** The scripts of a label's letters; digits, hyphens, marks and shared signs like "ー" belong to none. */
function scriptsOf(label: string): Set<string> {
  const found = new Set<string>();
  for (const ch of label) {
    if (!/\p{L}/u.test(ch) || /[\p{Script=Common}\p{Script=Inherited}]/u.test(ch)) continue;
    found.add(scriptTests.find(([, re]) => re.test(ch))?.[0] ?? 'Other');
  }
  return found;
}

// Unicode TS #39 "highly restrictive": one script, or Latin with the scripts Japanese, Chinese and Korean
// are written with together. This is what refuses "pаypal" with a Cyrillic "а".
const ALLOWED_MIXES = [new Set(['Latin', 'Han', 'Hiragana', 'Katakana']), new Set(['Latin', 'Han', 'Bopomofo']), new Set(['Latin', 'Han', 'Hangul'])];

function isSingleScript(scripts: Set<string>): boolean {
  if (scripts.size <= 1) return true;
  return ALLOWED_MIXES.some((mix) => [...scripts].every((s) => mix.has(s)));
}

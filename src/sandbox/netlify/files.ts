// What the Netlify API and its edge agree on: host names, deploy paths, content types and Netlify's id shapes.
import crypto from 'node:crypto';

/** The suffix of every site's default domain. */
export const NETLIFY_APP = 'netlify.app';

export function hostName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** "/a/./b.html" → "/a/b.html"; undefined for paths that climb out ("..") or name nothing. */
export function normalizePath(p: string): string | undefined {
  const parts = p
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  if (parts.length === 0 || parts.includes('..')) return undefined;
  return `/${parts.join('/')}`;
}

const MIME: Record<string, string> = {
  html: 'text/html; charset=UTF-8',
  htm: 'text/html; charset=UTF-8',
  css: 'text/css; charset=UTF-8',
  js: 'application/javascript; charset=UTF-8',
  mjs: 'application/javascript; charset=UTF-8',
  json: 'application/json; charset=UTF-8',
  txt: 'text/plain; charset=UTF-8',
  xml: 'application/xml; charset=UTF-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  pdf: 'application/pdf',
  map: 'application/json; charset=UTF-8',
  webmanifest: 'application/manifest+json',
};

export function mimeType(p: string): string {
  const ext = p.slice(p.lastIndexOf('.') + 1).toLowerCase();
  return MIME[ext] ?? 'application/octet-stream';
}

/** Netlify's request ids look like ULIDs ("01HV…", 26 Crockford base32 characters). */
export function requestIdOf(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = crypto.randomBytes(24);
  return `01${Array.from(bytes, (b) => alphabet[b % 32]).join('')}`;
}

/** A site created without a name gets a random "adjective-noun-hex" one, as Netlify names them. */
export function randomName(): string {
  const words = ['lucky', 'gentle', 'brave', 'quiet', 'sunny', 'clever'];
  const nouns = ['croissant', 'heron', 'lantern', 'meadow', 'harbor', 'violet'];
  const pick = (list: string[]) => list[crypto.randomInt(list.length)];
  return `${pick(words)}-${pick(nouns)}-${crypto.randomBytes(3).toString('hex')}`;
}

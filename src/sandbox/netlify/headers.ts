// Netlify's `_headers` file as its edge reads it: path patterns, indented "Name: value" lines, every matching rule applied.
//
// What it teaches about the real thing (docs.netlify.com, "Custom headers"):
//  - a line starting at column 0 is a path (or a full URL; its path counts); the indented lines
//    under it are its headers; `#` starts a comment;
//  - `*` is a splat that matches anything, slashes included (`/*` is every path, `/` too);
//    `:name` is a placeholder that matches one path segment;
//  - every rule whose path matches applies; a header given more than once (in one rule or in
//    several) is sent once with its values joined by ", ";
//  - some headers belong to the edge and are ignored when a site sets them (Content-Length,
//    Location, Set-Cookie, ...);
//  - the file itself is configuration, never served.

/** Names Netlify's edge keeps for itself: a `_headers` line setting one of them is ignored. */
const EDGE_OWNED = new Set([
  'accept-ranges',
  'age',
  'allow',
  'alt-svc',
  'connection',
  'content-encoding',
  'content-length',
  'content-range',
  'date',
  'location',
  'server',
  'set-cookie',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface HeaderRule {
  path: string;
  pattern: RegExp;
  headers: [name: string, value: string][];
}

function patternOf(path: string): RegExp {
  const source = path
    .split(/(\*|:[A-Za-z_][A-Za-z0-9_]*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') && part.length > 1 ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

export function parseHeadersFile(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  let current: HeaderRule | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      let path = trimmed;
      if (/^https?:\/\//i.test(path)) {
        try {
          path = new URL(path.replace(/\*/g, '__splat__')).pathname.replace(/__splat__/g, '*');
        } catch {
          current = undefined;
          continue;
        }
      }
      current = path.startsWith('/') ? { path, pattern: patternOf(path), headers: [] } : undefined;
      if (current) rules.push(current);
      continue;
    }
    const colon = trimmed.indexOf(':');
    if (!current || colon <= 0) continue;
    const name = trimmed.slice(0, colon).trim();
    const value = trimmed.slice(colon + 1).trim();
    if (!TOKEN.test(name) || EDGE_OWNED.has(name.toLowerCase())) continue;
    current.headers.push([name, value]);
  }
  return rules;
}

/** The headers for a request path: every matching rule, values of a repeated name joined by ", " (lowercase names). */
export function headersFor(rules: HeaderRule[], pathname: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of rules) {
    if (!rule.pattern.test(pathname)) continue;
    for (const [name, value] of rule.headers) {
      const key = name.toLowerCase();
      out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
    }
  }
  return out;
}

/** Files a site deploys that configure the edge and are never served. */
export const CONFIG_FILES = new Set(['/_headers', '/_redirects']);

// The site's `_headers` file (Netlify's format): security headers for every page, and long caching for the pictures whose names carry their hash.
import crypto from 'node:crypto';

/**
 * The pages run nothing and load nothing from elsewhere: their one style sheet is inline (allowed
 * by its hash, not by 'unsafe-inline'), pictures and icons come from the site itself, and the
 * JSON-LD block is data a browser never executes, so `script-src 'none'` holds.
 */
export function headersFile(files: Map<string, Buffer>): string {
  const styleHashes = new Set<string>();
  for (const [path, content] of files) {
    if (!path.endsWith('.html')) continue;
    for (const m of content.toString('utf8').matchAll(/<style>([\s\S]*?)<\/style>/g)) {
      styleHashes.add(`'sha256-${crypto.createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
    }
  }
  const csp = [
    "default-src 'none'",
    "img-src 'self'",
    `style-src ${[...styleHashes].sort().join(' ') || "'none'"}`,
    "script-src 'none'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return `# Served by the host with every answer (Netlify _headers format: a path, then indented "Name: value" lines)
/*
  Content-Security-Policy: ${csp}
  X-Content-Type-Options: nosniff
  X-Frame-Options: DENY
  Referrer-Policy: strict-origin-when-cross-origin
  Permissions-Policy: accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()
  Cross-Origin-Opener-Policy: same-origin
/assets/*
  Cache-Control: public, max-age=31536000, immutable
`;
}

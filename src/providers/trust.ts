// TLS trust for the requests that visit customers' sites: a CA's secure context built once, not for every connection.
import tls from 'node:tls';

const contexts = new Map<string, tls.SecureContext>();

/**
 * The secure context trusting `ca` (PEM), built on first use and kept: passing `ca` itself to each request parses the
 * certificate and builds a new store per connection. Without a CA (real sites), none: Node's default, the system's CAs.
 * The server's name is still checked against its certificate (servername), as with `ca`.
 */
export function trusting(ca: string | undefined): tls.SecureContext | undefined {
  if (!ca) return undefined;
  let context = contexts.get(ca);
  if (!context) contexts.set(ca, (context = tls.createSecureContext({ ca })));
  return context;
}

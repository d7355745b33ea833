// Sandbox RDAP server (RFC 9082 query paths, RFC 9083 JSON): answers for every TLD from the sandbox registry; 404 means free.
import type http from 'node:http';
import { listenHttp } from '../http/server.ts';
import type { FaultInjector, SandboxServer } from '../faults.ts';
import type { SandboxRegistry } from '../registry-state.ts';

export interface RdapServerOptions {
  registry: SandboxRegistry;
  host?: string;
  port?: number;
  faults: FaultInjector;
}

const RDAP_JSON = 'application/rdap+json';
const CONFORMANCE = ['rdap_level_0', 'icann_rdap_response_profile_1', 'icann_rdap_technical_implementation_guide_1'];
const NOTICES = [
  {
    title: 'Terms of Use',
    description: ['Sandbox registry: every name and date here is made up, and nothing is ever really registered.'],
  },
  {
    title: 'Status Codes',
    description: ['For more information on domain status codes, please visit https://icann.org/epp'],
    links: [{ href: 'https://icann.org/epp', rel: 'glossary', type: 'text/html' }],
  },
];

export async function startRdapServer(opts: RdapServerOptions): Promise<SandboxServer> {
  const { registry, faults } = opts;
  const listener = await listenHttp(
    async (req, res) => {
      if (!(await faults.apply(req, res))) return;
      const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
      const match = /^\/domain\/([^/]+)$/.exec(path);
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !match) {
        return answer(res, 400, rdapError(400, 'Bad Request', ['Only GET /domain/{name} is implemented by this sandbox.']));
      }
      const name = decoded(match[1]).toLowerCase().replace(/\.$/, '');
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(name)) {
        return answer(res, 400, rdapError(400, 'Bad Request', [`"${name}" is not a domain name in LDH form.`]));
      }
      // Reserved names exist nowhere in the registry database: RDAP says 404, only the registrar refuses them.
      if (!registry.isRegistered(name) || registry.isReserved(name)) {
        return answer(res, 404, rdapError(404, 'Not Found', [`The domain ${name} was not found in the registry.`]));
      }
      answer(res, 200, domainObject(registry, name, listener.url));
    },
    { host: opts.host, port: opts.port, failure: (res) => answer(res, 500, rdapError(500, 'Internal Server Error', ['The sandbox failed to answer.'])) },
  );
  return { name: 'rdap', url: listener.url, faults, close: () => listener.close() };
}

/** A malformed percent-encoding stays as sent, and fails the LDH check below. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': RDAP_JSON,
    'content-length': Buffer.byteLength(text),
    'access-control-allow-origin': '*',
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

function rdapError(errorCode: number, title: string, description: string[]) {
  return { errorCode, title, description, rdapConformance: ['rdap_level_0'], notices: NOTICES };
}

/** A domain object shaped like a gTLD registry's answer (ICANN RDAP response profile). */
function domainObject(registry: SandboxRegistry, name: string, baseUrl: string) {
  const facts = registrationFacts(registry, name);
  const self = `${baseUrl}/domain/${name}`;
  return {
    objectClassName: 'domain',
    handle: `${facts.domainId}_DOMAIN_${name.split('.').pop()!.toUpperCase()}-SANDBOX`,
    ldhName: name,
    links: [{ value: self, rel: 'self', href: self, type: RDAP_JSON }],
    status: ['active'],
    entities: [
      {
        objectClassName: 'entity',
        handle: '1068',
        roles: ['registrar'],
        publicIds: [{ type: 'IANA Registrar ID', identifier: '1068' }],
        vcardArray: [
          'vcard',
          [
            ['version', {}, 'text', '4.0'],
            ['fn', {}, 'text', 'Sandbox Registrar'],
          ],
        ],
      },
    ],
    events: [
      { eventAction: 'registration', eventDate: facts.createdAt },
      { eventAction: 'expiration', eventDate: facts.expiresAt },
      { eventAction: 'last update of RDAP database', eventDate: new Date().toISOString() },
    ],
    secureDNS: { delegationSigned: false },
    nameservers: ['dns1.registrar-servers.com', 'dns2.registrar-servers.com'].map((ldhName) => ({
      objectClassName: 'nameserver',
      ldhName,
    })),
    rdapConformance: CONFORMANCE,
    notices: NOTICES,
  };
}

/**
 * Names bought through the sandbox registrar have real dates; seeded ones get stable made-up ones.
 * The whois server uses the same facts, as a real registry's RDAP and whois read one database.
 */
export function registrationFacts(registry: SandboxRegistry, name: string) {
  const reg = registry.get(name);
  if (reg) return { domainId: reg.domainId, createdAt: reg.createdAt, expiresAt: reg.expiresAt };
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const created = new Date(Date.UTC(2000 + (hash % 20), hash % 12, 1 + (hash % 28)));
  const expires = new Date(created);
  while (expires.getTime() < Date.now()) expires.setUTCFullYear(expires.getUTCFullYear() + 1);
  return { domainId: 1_000_000 + (hash % 1_000_000), createdAt: created.toISOString(), expiresAt: expires.toISOString() };
}

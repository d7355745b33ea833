// The sandbox DNS: an authoritative UDP server answering for every sandbox TLD from the registry's host records, the way Namecheap's BasicDNS would.
//
// What it teaches about the real thing:
//  - a name under a TLD we run but not registered is NXDOMAIN; a name under any other suffix
//    is REFUSED (we are not authoritative for it, and we do not recurse);
//  - a CNAME owns its name: any query for it answers the CNAME, followed by the target's
//    records when the target lives in a zone we serve, as resolvers expect;
//  - Namecheap's URL redirect records are not DNS records: the name resolves to Namecheap's
//    redirect servers, which answer the redirect over HTTP;
//  - negative answers carry the zone's SOA, whose last field bounds negative caching;
//  - names that live at another sandbox provider (a hosting's <name>.netlify.app) come from
//    the `extraRecords` hook, as another provider's nameservers would answer them.
import dns2 from 'dns2';
import type { FaultInjector, SandboxServer } from '../faults.ts';
import { SANDBOX_TLDS, type SandboxHostRecord, type SandboxRegistry } from '../registry-state.ts';

const { Packet } = dns2;
type Resource = dns2.Packet.Resource;

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

/** Namecheap's BasicDNS servers, the ones a domain uses until told otherwise. */
const NAMESERVERS = ['dns1.registrar-servers.com', 'dns2.registrar-servers.com'];

/**
 * Stand-in address for Namecheap's parking and URL-redirect servers (the real ones vary).
 * Outside loopback on purpose: a parked domain must not look like the customer's site.
 */
export const PARKING_ADDRESS = '198.54.117.200';

/** Namecheap's parking host: a name outside the sandbox registries that the sandbox still answers for. */
export const PARKING_HOST = 'parkingpage.namecheap.com';
const WELL_KNOWN = new Map([[PARKING_HOST, PARKING_ADDRESS]]);

/** How long resolvers may cache "no such name" (seconds). Short, so a waiting pipeline sees new records soon. */
const NEGATIVE_TTL = 60;

/** CNAME chains longer than this are answered as far as they go. */
const MAX_CHAIN = 8;

type Zone =
  | { kind: 'outside' }
  | { kind: 'tld'; tld: string }
  /** registered, but elsewhere (seeded or taken-*): we hold no records for it */
  | { kind: 'foreign'; domain: string }
  | { kind: 'hosted'; domain: string; hosts: SandboxHostRecord[]; relative: string }
  | { kind: 'unregistered'; tld: string };

interface Answer {
  rcode: number;
  answers: Resource[];
  authorities: Resource[];
}

/** A record another sandbox server holds outside the registry (the hosting's <name>.netlify.app names). */
export interface ExtraRecord {
  type: 'A' | 'AAAA' | 'CNAME' | 'TXT';
  address: string;
  ttl?: number;
}

export async function startDnsServer(opts: {
  registry: SandboxRegistry;
  host?: string;
  port?: number;
  faults: FaultInjector;
  /**
   * Names answered from elsewhere, asked before the registry's zones: the records of `name`
   * (of every type), or undefined when the hook does not know the name.
   */
  extraRecords?: (name: string) => ExtraRecord[] | undefined;
}): Promise<SandboxServer & { port: number }> {
  const { registry, faults } = opts;

  // SOA serials move whenever a zone changes, as a real primary's would.
  const serials = new Map<string, number>();
  const unsubscribe = registry.onChange((domain) => {
    const now = Math.floor(Date.now() / 1000);
    serials.set(domain, Math.max(now, (serials.get(domain) ?? 0) + 1));
  });

  function zoneOf(name: string): Zone {
    const tld = SANDBOX_TLDS.filter((t) => name === t || name.endsWith(`.${t}`)).sort((a, b) => b.length - a.length)[0];
    if (!tld) return { kind: 'outside' };
    if (name === tld) return { kind: 'tld', tld };
    // The registrable domain is one label in front of the TLD (co.uk counts as one TLD here).
    const labels = name.slice(0, -(tld.length + 1)).split('.');
    const domain = `${labels[labels.length - 1]}.${tld}`;
    const reg = registry.get(domain);
    if (reg) {
      const relative = labels.length === 1 ? '@' : labels.slice(0, -1).join('.');
      return { kind: 'hosted', domain, hosts: registry.visibleHosts(reg), relative };
    }
    if (registry.isRegistered(domain)) return { kind: 'foreign', domain };
    return { kind: 'unregistered', tld };
  }

  /** The SOA of a zone: a TLD's (its registry's servers) or a customer domain's (Namecheap's). */
  function soa(zone: string, name = zone): Resource {
    const reg = registry.get(zone);
    const tld = SANDBOX_TLDS.includes(zone) ? zone : zone.slice(zone.indexOf('.') + 1);
    return record(name, Packet.TYPE.SOA, 3600, {
      primary: reg ? NAMESERVERS[0] : `a.nic.${tld}`,
      admin: reg ? 'hostmaster.registrar-servers.com' : `hostmaster.nic.${tld}`,
      serial: serials.get(zone) ?? (reg ? Math.floor(Date.parse(reg.createdAt) / 1000) : 1),
      refresh: 43200,
      retry: 3600,
      expiration: 604800,
      minimum: NEGATIVE_TTL,
    });
  }

  /** What the zone holds for `name` and `type`; `depth` counts CNAME hops already followed. */
  function resolve(name: string, type: number, depth = 0): Answer {
    const none = (rcode: number, authority?: Resource): Answer => ({ rcode, answers: [], authorities: authority ? [authority] : [] });
    const known = WELL_KNOWN.get(name);
    if (known !== undefined) {
      const answers = type === Packet.TYPE.A ? [record(name, type, 1800, { address: known })] : [];
      return { rcode: RCODE.NOERROR, answers, authorities: [] };
    }
    const extra = opts.extraRecords?.(name);
    if (extra !== undefined) {
      const here = extra.map((r) => ({ name: '@', type: r.type, address: r.address, ttl: r.ttl ?? 300 }));
      return answerFrom(name, type, here, false, depth);
    }
    const zone = zoneOf(name);
    switch (zone.kind) {
      case 'outside':
        return none(RCODE.REFUSED);
      case 'tld':
        return none(RCODE.NOERROR, soa(zone.tld));
      case 'unregistered':
        return none(RCODE.NXDOMAIN, soa(zone.tld));
      case 'foreign':
        return none(RCODE.NOERROR, soa(zone.domain));
    }

    const { domain, hosts, relative } = zone;
    let here = hosts.filter((h) => h.name === relative);
    // A wildcard covers any name below the apex that has no records of its own.
    if (here.length === 0 && relative !== '@') here = hosts.filter((h) => h.name === '*');
    const exists = here.length > 0 || relative === '@' || hosts.some((h) => h.name.endsWith(`.${relative}`));
    if (!exists) return none(RCODE.NXDOMAIN, soa(domain));
    return answerFrom(name, type, here, relative === '@', depth, domain);
  }

  /** The answer from the records a name holds; `zone` names the SOA for an empty answer, when we hold one. */
  function answerFrom(name: string, type: number, here: SandboxHostRecord[], apex: boolean, depth: number, zone?: string): Answer {
    const cname = here.find((h) => h.type === 'CNAME');
    if (cname && type !== Packet.TYPE.CNAME) {
      const target = hostName(cname.address);
      const answers = [record(name, Packet.TYPE.CNAME, cname.ttl, { domain: target })];
      if (depth < MAX_CHAIN) {
        const next = resolve(target, type, depth + 1);
        if (next.rcode === RCODE.NOERROR) answers.push(...next.answers);
      }
      return { rcode: RCODE.NOERROR, answers, authorities: [] };
    }

    const answers = recordsOf(name, type, here, apex, depth);
    if (zone && type === Packet.TYPE.SOA && apex) answers.push(soa(zone, name));
    return { rcode: RCODE.NOERROR, answers, authorities: answers.length || !zone ? [] : [soa(zone)] };
  }

  function recordsOf(name: string, type: number, here: SandboxHostRecord[], apex: boolean, depth: number): Resource[] {
    const T = Packet.TYPE;
    const out: Resource[] = [];
    for (const h of here) {
      if (h.type === 'A' && type === T.A) out.push(record(name, type, h.ttl, { address: h.address }));
      else if (h.type === 'AAAA' && type === T.AAAA) out.push(record(name, type, h.ttl, { address: h.address }));
      else if (h.type === 'CNAME' && type === T.CNAME) out.push(record(name, type, h.ttl, { domain: hostName(h.address) }));
      else if (h.type === 'TXT' && type === T.TXT) out.push(record(name, type, h.ttl, { data: chunks(h.address) }));
      else if (h.type === 'MX' && type === T.MX) {
        out.push(record(name, type, h.ttl, { exchange: hostName(h.address), priority: h.mxPref ?? 10 }));
      } else if (h.type === 'NS' && type === T.NS) out.push(record(name, type, h.ttl, { ns: hostName(h.address) }));
      else if (['URL', 'URL301', 'FRAME'].includes(h.type) && type === T.A) {
        out.push(record(name, type, h.ttl, { address: PARKING_ADDRESS }));
      } else if (h.type === 'ALIAS' && (type === T.A || type === T.AAAA) && depth < MAX_CHAIN) {
        // ALIAS is flattened at the server: the target's addresses, under this name.
        const target = resolve(hostName(h.address), type, depth + 1);
        for (const a of target.answers.filter((r) => r.type === type)) {
          out.push(record(name, type, h.ttl, { address: a.address }));
        }
      }
    }
    if (apex && type === T.NS) for (const ns of NAMESERVERS) out.push(record(name, type, 1800, { ns }));
    return out;
  }

  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      void (async () => {
        await faults.delay();
        const response = Packet.createResponseFromRequest(request);
        response.header.aa = 1;
        switch (faults.pick()) {
          case 'timeout':
          case 'drop':
            return; // UDP has no connection to hold: the resolver's timer fires
          case 'error':
            response.header.rcode = RCODE.SERVFAIL;
            return void (await send(response));
          case 'rate_limited':
            response.header.rcode = RCODE.REFUSED;
            return void (await send(response));
          case 'ok':
            break;
        }
        const [question] = request.questions;
        if (question) {
          const name = question.name.toLowerCase().replace(/\.$/, '');
          const answer = resolve(name, question.type);
          // The first record answers under the name exactly as asked (resolvers compare it).
          if (answer.answers[0]?.name === name) answer.answers[0].name = question.name;
          response.header.rcode = answer.rcode;
          response.answers = answer.answers;
          response.authorities = answer.authorities;
        }
        await send(response);
      })().catch(() => undefined);
    },
  });

  const addresses = await server.listen({ udp: { port: opts.port ?? 0, address: opts.host ?? '127.0.0.1' } });
  const udp = addresses.udp ?? server.addresses().udp;
  if (!udp) throw new Error('the sandbox DNS server did not bind a UDP port');
  return {
    name: 'dns',
    url: `${udp.address}:${udp.port}`,
    port: udp.port,
    faults,
    close: async () => {
      unsubscribe();
      await server.close();
    },
  };
}

function record(name: string, type: number, ttl: number, fields: Partial<Resource>): Resource {
  return Object.assign(new Packet.Resource(name, type, Packet.CLASS.IN, ttl), fields);
}

/** Namecheap addresses may end with a dot ("parkingpage.namecheap.com."); DNS names here do not. */
function hostName(address: string): string {
  return address.trim().toLowerCase().replace(/\.$/, '');
}

/** A TXT string longer than 255 octets goes out as several character-strings of one record. */
function chunks(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 255) out.push(text.slice(i, i + 255));
  return out.length ? out : [''];
}

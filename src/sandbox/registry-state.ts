// The sandbox world's registry: which domains are registered, their host records. Shared by RDAP, whois, registrar and DNS servers.
import fs from 'node:fs';
import path from 'node:path';

/** Seeded names that are registered in the sandbox (besides every name starting with "taken-"). */
export const SEEDED_TAKEN = [
  'google.fr',
  'google.com',
  'example.com',
  'example.fr',
  'example.net',
  'example.org',
  'boulangerie.fr',
  'boulangerie.com',
  'plombier.fr',
  'restaurant.com',
  'coiffure.fr',
];

/** Names the sandbox registries reserve: RDAP/whois say "free", only the registrar's check says no. */
export const SANDBOX_RESERVED_PREFIX = 'reserved-';
/** Names the sandbox registrar sells at a premium price. */
export const SANDBOX_PREMIUM_PREFIX = 'premium-';
/** Premium names in their registry's early access period: the check reports an EapFee on top of the price. */
export const SANDBOX_EAP_PREFIX = 'eap-';
/**
 * The TLDs the sandbox world runs registries for: the sandbox registrar sells them and the
 * sandbox DNS answers for them; a name under any other suffix is outside the sandbox.
 */
export const SANDBOX_TLDS = ['fr', 'com', 'net', 'org', 'eu', 'io', 'shop', 'de', 'co.uk', 'info', 'biz', 'app', 'dev'];

export interface SandboxHostRecord {
  name: string;
  type: string;
  address: string;
  ttl: number;
  mxPref?: number;
}

export interface SandboxRegistration {
  domain: string;
  domainId: number;
  createdAt: string;
  expiresAt: string;
  /** idempotency key the registration was made with (sandbox extension; see the registrar server) */
  idempotencyKey?: string;
  /** the registrar account that bought it; registrations made by hand (tests) belong to someone else */
  owner?: string;
  /** the contacts the purchase gave, by role (Registrant, Tech, Admin, AuxBilling), as the call named their fields */
  contacts?: Record<string, Record<string, string>>;
  /** the TLD's extended attributes the purchase sent */
  attributes?: Record<string, string>;
  /** the registrant hidden behind the registrar's privacy service */
  privacy?: boolean;
  idnCode?: string;
  hosts: SandboxHostRecord[];
  /** setHosts' EmailType as last sent (MX, MXE, FWD, OX); absent: NONE */
  emailType?: string;
  /** domains.dns.setEmailForwarding's forwards */
  forwards?: { mailbox: string; forwardTo: string }[];
  /** the records resolvers still see until `hostsVisibleAt` (see SandboxRegistry.propagationMsOf) */
  previousHosts?: SandboxHostRecord[];
  hostsVisibleAt?: string;
  /** the registrar lock (clientTransferProhibited): on unless removed (namecheap/transfer.ts reads it) */
  locked?: boolean;
}

interface Snapshot {
  nextDomainId: number;
  registrations: Record<string, SandboxRegistration>;
}

export class SandboxRegistry {
  private data: Snapshot = { nextDomainId: 100_000, registrations: {} };
  private listeners = new Set<(domain: string) => void>();
  /** names a registry re-priced as premium after they were quoted (tests, chaos runs); kept in memory */
  private repriced = new Set<string>();
  /**
   * Sandbox knob: how long new host records take to reach resolvers (DNS propagation: the registrar has them at once,
   * the sandbox DNS answers the old ones until then), per name (in memory); a name without one is instant. The chaos
   * run gives its calm tail's names a delay, to keep those orders waiting for DNS past 75 % of their deadline while
   * the orders still in progress around them are not slowed.
   */
  readonly propagationMsOf = new Map<string, number>();

  /** `file`: where registrations persist across restarts (under DATA_DIR); none keeps them in memory. */
  constructor(private readonly file?: string) {
    if (file && fs.existsSync(file)) {
      this.data = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
    }
  }

  /** Registered in the sandbox: seeded, "taken-*", or bought through the sandbox registrar. */
  isRegistered(domain: string): boolean {
    const d = domain.toLowerCase();
    const sld = d.split('.')[0] ?? '';
    return sld.startsWith('taken-') || SEEDED_TAKEN.includes(d) || d in this.data.registrations;
  }

  isReserved(domain: string): boolean {
    return domain.toLowerCase().startsWith(SANDBOX_RESERVED_PREFIX);
  }

  isPremium(domain: string): boolean {
    const d = domain.toLowerCase();
    return d.startsWith(SANDBOX_PREMIUM_PREFIX) || d.startsWith(SANDBOX_EAP_PREFIX) || this.repriced.has(d);
  }

  /** The early-access fee the registry charges for this name on top of its price, in cents (0 outside EAP). */
  eapFeeCents(domain: string): number {
    return domain.toLowerCase().startsWith(SANDBOX_EAP_PREFIX) ? 15_000 : 0;
  }

  /** The registry now sells this name at its premium price (registries re-price names): a purchase quoted before costs more. */
  reprice(domain: string): void {
    this.repriced.add(domain.toLowerCase());
  }

  /** Premium renewal prices a registry raised after the name was bought (tests), in cents; kept in memory. */
  readonly premiumRenewalRaisedTo = new Map<string, number>();

  get(domain: string): SandboxRegistration | undefined {
    return this.data.registrations[domain.toLowerCase()];
  }

  all(): SandboxRegistration[] {
    return Object.values(this.data.registrations);
  }

  register(
    domain: string,
    years: number,
    idempotencyKey?: string,
    owner = 'another-registrant',
    given: Pick<SandboxRegistration, 'contacts' | 'attributes' | 'privacy' | 'idnCode'> = {},
  ): SandboxRegistration {
    const d = domain.toLowerCase();
    const now = new Date();
    const expires = new Date(now);
    expires.setUTCFullYear(expires.getUTCFullYear() + years);
    const reg: SandboxRegistration = {
      domain: d,
      domainId: this.data.nextDomainId++,
      createdAt: now.toISOString(),
      expiresAt: expires.toISOString(),
      idempotencyKey,
      owner,
      ...given,
      // Namecheap parks a new domain on its own servers until told otherwise.
      hosts: [
        { name: '@', type: 'URL', address: `http://www.${d}/`, ttl: 1800 },
        { name: 'www', type: 'CNAME', address: 'parkingpage.namecheap.com.', ttl: 1800 },
      ],
    };
    this.data.registrations[d] = reg;
    this.save();
    this.emit(d);
    return reg;
  }

  setHosts(domain: string, hosts: SandboxHostRecord[]): void {
    const reg = this.get(domain);
    if (!reg) throw new Error(`not registered: ${domain}`);
    const delay = this.propagationMsOf.get(reg.domain) ?? 0;
    if (delay > 0) {
      reg.previousHosts = this.visibleHosts(reg);
      reg.hostsVisibleAt = new Date(Date.now() + delay).toISOString();
      // resolvers' zone serials move when the new records arrive, not now
      setTimeout(() => this.emit(reg.domain), delay).unref();
    } else {
      delete reg.previousHosts;
      delete reg.hostsVisibleAt;
    }
    reg.hosts = hosts;
    this.save();
    this.emit(reg.domain);
  }

  /** The records the DNS answers for a registration now: the new ones once propagated, the previous ones before. */
  visibleHosts(reg: SandboxRegistration): SandboxHostRecord[] {
    if (reg.hostsVisibleAt && reg.previousHosts && Date.now() < Date.parse(reg.hostsVisibleAt)) return reg.previousHosts;
    return reg.hosts;
  }

  /** Sandbox knob: the registration now expires at `at` (a domain about to lapse, or one that has). */
  setExpiry(domain: string, at: Date): SandboxRegistration {
    const reg = this.get(domain);
    if (!reg) throw new Error(`not registered: ${domain}`);
    reg.expiresAt = at.toISOString();
    this.save();
    return reg;
  }

  /** Sandbox knob: the name was created at `at` (its registrar clock moved: a name older or younger than it is). */
  setCreated(domain: string, at: Date): SandboxRegistration {
    return this.change(domain, (reg) => void (reg.createdAt = at.toISOString()));
  }

  /** A registrar's renewal or reactivation: `years` more from the current expiry, whenever it is made. */
  extend(domain: string, years: number): SandboxRegistration {
    const reg = this.get(domain);
    if (!reg) throw new Error(`not registered: ${domain}`);
    const to = new Date(reg.expiresAt);
    to.setUTCFullYear(to.getUTCFullYear() + years);
    reg.expiresAt = to.toISOString();
    this.save();
    return reg;
  }

  /** Sandbox knob: renew for `years` more, from the current expiry (or from now when it has passed), as a registrar does. */
  renew(domain: string, years = 1): SandboxRegistration {
    const reg = this.get(domain);
    if (!reg) throw new Error(`not registered: ${domain}`);
    const from = new Date(Math.max(Date.now(), new Date(reg.expiresAt).getTime()));
    from.setUTCFullYear(from.getUTCFullYear() + years);
    reg.expiresAt = from.toISOString();
    this.save();
    return reg;
  }

  /** domains.setRegistrarLock: the registrar lock on or off. */
  setLock(domain: string, locked: boolean): SandboxRegistration {
    return this.change(domain, (reg) => void (reg.locked = locked));
  }

  /** domains.setContacts: the four contacts replaced, by role. */
  setContacts(domain: string, contacts: Record<string, Record<string, string>>): SandboxRegistration {
    return this.change(domain, (reg) => void (reg.contacts = contacts));
  }

  /** A transfer between registrars: the name now sits in another account. */
  setOwner(domain: string, owner: string): SandboxRegistration {
    return this.change(domain, (reg) => void (reg.owner = owner));
  }

  private change(domain: string, fn: (reg: SandboxRegistration) => void): SandboxRegistration {
    const reg = this.get(domain);
    if (!reg) throw new Error(`not registered: ${domain}`);
    fn(reg);
    this.save();
    return reg;
  }

  /** Called whenever a domain's registration or records change (the DNS server listens). */
  onChange(fn: (domain: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(domain: string) {
    for (const fn of this.listeners) fn(domain);
  }

  private save() {
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data));
    fs.renameSync(tmp, this.file);
  }
}

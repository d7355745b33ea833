// Registrar: check, buy and configure domains. The Namecheap XML API adapter lives in ./namecheap.

export interface RegistrarCheck {
  domain: string;
  available: boolean;
  premium: boolean;
  /** first-year registration price the registrar quotes for a premium name, in integer cents */
  premiumPriceCents?: number;
  /** premium names also carry a renewal price */
  premiumRenewalCents?: number;
  /** the registrar answered for this name with an error (e.g. unsupported TLD) */
  errorCode?: string;
}

export interface Contact {
  firstName: string;
  lastName: string;
  organization?: string;
  address1: string;
  city: string;
  stateProvince: string;
  postalCode: string;
  country: string; // ISO 3166-1 alpha-2
  phone: string; // +33.123456789
  email: string;
}

export interface DomainRegistration {
  domain: string;
  registered: boolean;
  /** the registrar's own id for the registration (Namecheap DomainID) */
  domainId: string;
  orderId?: string;
  transactionId?: string;
  chargedAmountCents?: number;
}

export interface HostRecord {
  /** '@' for the apex, 'www', ... */
  name: string;
  type: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'ALIAS' | 'URL';
  address: string;
  ttl?: number;
  mxPref?: number;
}

export interface DomainInfo {
  domain: string;
  status: string;
  createdAt: string;
  expiresAt: string;
  dnsProvider: string;
}

export interface Registrar {
  readonly name: string;
  /** batch check; names the registrar does not answer for come back with errorCode */
  check(domains: string[], signal?: AbortSignal): Promise<RegistrarCheck[]>;
  /** buys the domain for `years`; idempotencyKey is derived from order and step */
  create(input: { domain: string; years: number; contact: Contact; idempotencyKey: string }): Promise<DomainRegistration>;
  /** replaces the whole host record set of the domain (records not sent are deleted) */
  setHosts(domain: string, records: HostRecord[]): Promise<void>;
  getInfo(domain: string): Promise<DomainInfo>;
  /** the registration of this name in our own account, if there is one (a purchase whose answer we never got) */
  findOwn(domain: string): Promise<DomainRegistration | undefined>;
}

// Registrar: check, buy and configure domains. The Namecheap XML API adapter lives in ./namecheap.

export interface RegistrarCheck {
  domain: string;
  available: boolean;
  premium: boolean;
  /** the currency of every price below: the registrar's own (Namecheap: US dollars), never ours */
  currency: string;
  /** first-year registration price the registrar quotes for a premium name, in integer cents */
  premiumPriceCents?: number;
  /** premium names also carry a renewal price (PremiumRenewalPrice) */
  premiumRenewalCents?: number;
  /** and a restore price, out of redemption (PremiumRestorePrice) */
  premiumRestoreCents?: number;
  /** the registry's early-access fee the check reports (EapFee): paid on top of the price, passed back to create */
  eapFeeCents?: number;
  /** the registrar answered for this name with an error (e.g. unsupported TLD) */
  errorCode?: string;
}

export interface Contact {
  firstName: string;
  lastName: string;
  organization?: string;
  address1: string;
  address2?: string;
  city: string;
  stateProvince: string;
  postalCode: string;
  country: string; // ISO 3166-1 alpha-2
  phone: string; // +33.123456789
  email: string;
}

/** The four contacts of a registration: the customer is the registrant; admin, tech and billing are the operator. */
export interface DomainContacts {
  registrant: Contact;
  admin: Contact;
  tech: Contact;
  billing: Contact;
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

/** The record types Namecheap's setHosts takes (namecheap.com/support/api/methods/domains-dns/set-hosts; ALIAS, CAA, NS on the live API). */
export type HostRecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'MXE' | 'TXT' | 'ALIAS' | 'CAA' | 'NS' | 'URL' | 'URL301' | 'FRAME';

/** Where a domain's email goes at the registrar: its MX records, Namecheap's forwarding (FWD), its MXE record, or nowhere. */
export type EmailType = 'NONE' | 'MX' | 'MXE' | 'FWD' | 'OX';

export interface HostRecord {
  /** '@' for the apex, 'www', ... */
  name: string;
  type: HostRecordType;
  address: string;
  ttl?: number;
  mxPref?: number;
}

export interface EmailForward {
  /** the part before @ */
  mailbox: string;
  forwardTo: string;
}

export interface DomainInfo {
  domain: string;
  status: string;
  createdAt: string;
  expiresAt: string;
  dnsProvider: string;
}

/** A purchase: the customer is the registrant, the operator the admin, tech and billing contact. */
export interface CreateInput {
  /** ASCII (punycode for an IDN) */
  domain: string;
  years: number;
  registrant: Contact;
  operator: Contact;
  /** the TLD's extended attributes (src/domain/tld-rules.ts) */
  attributes?: Record<string, string>;
  /** an IDN's language code (Namecheap's IdnCode) */
  idnCode?: string;
  /** hide the registrant behind the registrar's privacy service, where the TLD allows it */
  privacy: boolean;
  /** what a check said of the name (premium, its price and fees): the adapter then does not check again */
  quote?: Pick<RegistrarCheck, 'premium' | 'premiumPriceCents' | 'eapFeeCents' | 'currency'>;
  /** derived from order and step */
  idempotencyKey: string;
}

/** One registration as the account's domain list shows it. */
export interface ListedDomain {
  domain: string;
  domainId: string;
  createdAt: string;
  /** YYYY-MM-DD */
  expiresAt: string;
  expired: boolean;
}

export interface DomainListPage {
  domains: ListedDomain[];
  page: number;
  pageSize: number;
  total: number;
}

/** A renewal or reactivation the registrar made (namecheap.domains.renew / reactivate). */
export interface DomainRenewal {
  domain: string;
  /** YYYY-MM-DD, when the answer gives it (renew does, reactivate does not: read getInfo) */
  expiresAt?: string;
  orderId?: string;
  transactionId?: string;
  /** what the registrar charged, in its currency (Namecheap: US dollars), integer cents */
  chargedAmountCents?: number;
}

/** Who the spent budget serves, most urgent first (src/providers/registrar/budget.ts). */
export const CALL_PRIORITIES = ['order', 'confirm', 'expiry', 'alternatives'] as const;
export type CallPriority = (typeof CALL_PRIORITIES)[number];

export interface Registrar {
  readonly name: string;
  /** batch check; names the registrar does not answer for come back with errorCode */
  check(domains: string[], signal?: AbortSignal): Promise<RegistrarCheck[]>;
  /** buys the domain for `years`, once per idempotency key */
  create(input: CreateInput): Promise<DomainRegistration>;
  /** replaces the whole host record set of the domain (records not sent are deleted) */
  setHosts(domain: string, records: HostRecord[]): Promise<void>;
  getInfo(domain: string): Promise<DomainInfo>;
  /** the whole host record set and where the domain's email goes (domains.dns.getHosts) */
  readHosts(domain: string): Promise<{ records: HostRecord[]; emailType: EmailType }>;
  /** like setHosts, saying where the email goes (EmailType): MX records are kept only with 'MX', forwarding needs 'FWD' */
  writeHosts(domain: string, records: HostRecord[], emailType: EmailType): Promise<void>;
  /** the domain's email forwards (domains.dns.getEmailForwarding) */
  getEmailForwarding(domain: string): Promise<EmailForward[]>;
  /** replaces the domain's email forwards (domains.dns.setEmailForwarding) */
  setEmailForwarding(domain: string, forwards: EmailForward[]): Promise<void>;
  /** the registration of this name in our own account, if there is one (a purchase whose answer we never got) */
  findOwn(domain: string): Promise<DomainRegistration | undefined>;
  /** one page of the account's registrations, oldest first (pageSize 10 to 100) */
  getList(page: number, pageSize: number): Promise<DomainListPage>;
  /** the contacts the registrar holds for a name of ours */
  getContacts(domain: string): Promise<DomainContacts>;
  /** replaces the four contacts of a name of ours (all four are required) */
  setContacts(domain: string, contacts: DomainContacts): Promise<void>;
  /** whether the registrar lock (the registry's clientTransferProhibited) is on */
  getRegistrarLock(domain: string): Promise<boolean>;
  /** sets or removes the registrar lock: a transfer to another registrar needs it removed */
  setRegistrarLock(domain: string, locked: boolean): Promise<void>;
  /** renews a name of ours that has not expired for `years` more; not idempotent: read the expiry before sending it again */
  renew(domain: string, years: number, premiumPriceCents?: number): Promise<DomainRenewal>;
  /** renews a name of ours that expired: within the registrar's grace period, or restored from redemption */
  reactivate(domain: string, years: number, premiumPriceCents?: number): Promise<DomainRenewal>;
  /** what reactivate charges for one year of a name restored from redemption, in the registrar's currency */
  reactivatePrice(domain: string): Promise<{ cents: number; currency: string }>;
  /** the same registrar, its calls spending the shared budget at `priority`, waiting for it at most `maxWaitMs` */
  at(priority: CallPriority, maxWaitMs?: number): Registrar;
}

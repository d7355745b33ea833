// What a registry asks before a name leaves its registrar, or changes holder: which TLDs have a registrar lock to
// remove, where the transfer code comes from, and which holder fields make a change of holder rather than an update.

/**
 * TLDs whose registry has no registrar lock (clientTransferProhibited): the transfer code alone authorises a transfer.
 * .eu and .fr: "not all extensions support REGISTRAR-LOCK, specifically .eu, .fr, .ca, .it, .be" (Internet.bs FAQ,
 * "Domain lock – Registrar-Lock"); AFNIC "does not lock domain names, you will only need an AUTH/INFO code" (ex2
 * help, "Transfer a domain name managed by AFNIC"); .co.uk (Nominet: "Not all TLDs support REGISTRAR-LOCK, e.g.
 * .co.uk"); .de (DENIC: no transfer lock, the auth code only).
 */
export const NO_REGISTRAR_LOCK_TLDS = ['fr', 'eu', 'de', 'co.uk'];

export const hasRegistrarLock = (tld: string) => !NO_REGISTRAR_LOCK_TLDS.includes(tld);

/**
 * The holder fields whose change makes another holder, not an update of the same one. ICANN's Transfer Policy (part
 * II.A.1) calls a material change of the registrant's name or organisation a Change of Registrant, confirmed by both
 * holders and followed by a 60-day inter-registrar transfer lock; AFNIC's "changement de titulaire" for .fr has its
 * own procedure (the outgoing and incoming holders' agreement, kept as evidence by the registrar). Neither is a form
 * field: the space updates the same holder's address, phone and email only.
 */
export const HOLDER_IDENTITY_FIELDS = ['type', 'firstName', 'lastName', 'organization', 'companyId', 'birthDate', 'birthPlace'] as const;

/**
 * A change of the registrant's email is a Change of Registrant for a gTLD too (ICANN Transfer Policy II.A.1.1.3): the
 * registrar confirms it with both addresses, and may lock the name against transfers for 60 days afterwards.
 */
export const isGtld = (tld: string) => !/^[a-z]{2}$/.test(tld.split('.').pop() ?? '');

const DAY_MS = 86_400_000;

/**
 * What a registry makes a transfer out wait for, and for how long. `afterRegistration`: days from the name's creation;
 * `afterChangeOfRegistrant`: days from a material change of its registrant, unless the registrant opted out.
 */
export interface TransferWaitRule {
  days: number;
  afterRegistration: boolean;
  afterChangeOfRegistrant: boolean;
  source: string;
}

/**
 * gTLDs: ICANN's Transfer Policy (icann.org/resources/pages/transfer-policy-2016-06-01-en) lets the registrar of record
 * deny a transfer within 60 days of the creation date or of a previous transfer (I.A.3.7), and makes it impose a 60-day
 * inter-registrar lock after a Change of Registrant unless the registrant opted out beforehand (II.C.2). Namecheap
 * applies both: "You have to wait at least 60 days from the registration date before transferring your domain" and
 * "domains cannot be transferred within a 60-day period after previous transfer" (knowledgebase 1346; 258 lists the
 * same conditions for a transfer out). Our names are all registered by us, never transferred in.
 */
export const ICANN_TRANSFER_WAIT: TransferWaitRule = {
  days: 60,
  afterRegistration: true,
  afterChangeOfRegistrant: true,
  source: 'ICANN Transfer Policy I.A.3.7 and II.C.2; Namecheap knowledgebase 1346 and 258',
};

/**
 * Country-code registries that set no waiting period of their own: the transfer code alone moves the name, whenever.
 * .fr (AFNIC): the transfer takes the auth code, the losing registrar answers within 8 days (Gandi, "Les domaines en
 * .fr"; ex2, "Transfer a domain name managed by AFNIC"), and its change of holder (both holders agree, the registrar keeps
 * the evidence: AFNIC's procedure of 12 December 2016, as EuropeanNIC relayed it) names no waiting period after it. .eu (EURid): a transfer with a
 * valid authorisation code (valid 40 days) is carried out at once. .de (DENIC, "Providerwechsel"): the holder "kann
 * diese verwaltende Stelle jederzeit wechseln", the name moving at once when the AuthInfo matches. .co.uk (Nominet,
 * registrars FAQ): "A transfer can take place immediately after registration". Another ccTLD has no rule written here:
 * none is enforced for it (the registrar refuses what its registry refuses).
 */
export const CCTLD_TRANSFER_WAIT: Record<string, TransferWaitRule | null> = { fr: null, eu: null, de: null, 'co.uk': null };

/** The waiting rule of a TLD: ICANN's for a gTLD, the registry's own (none for those above) for a ccTLD. */
export const transferWaitRule = (tld: string): TransferWaitRule | null => (isGtld(tld) ? ICANN_TRANSFER_WAIT : (CCTLD_TRANSFER_WAIT[tld] ?? null));

/**
 * The moment from which the name may leave, or null when it may now: the latest of its registration and its last
 * change of registrant, each plus the rule's days, when that is still ahead of `now`.
 */
export function transferableFrom(tld: string, dates: { registeredAt?: Date | null; registrantChangedAt?: Date | null }, now: Date = new Date()): Date | null {
  const rule = transferWaitRule(tld);
  if (!rule) return null;
  const starts = [rule.afterRegistration ? dates.registeredAt : null, rule.afterChangeOfRegistrant ? dates.registrantChangedAt : null].filter(
    (d): d is Date => d instanceof Date && !Number.isNaN(d.getTime()),
  );
  if (!starts.length) return null;
  const from = new Date(Math.max(...starts.map((d) => d.getTime())) + rule.days * DAY_MS);
  return from.getTime() > now.getTime() ? from : null;
}

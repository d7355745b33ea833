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

// Leaving the registrar, in the sandbox: domains.getRegistrarLock and setRegistrarLock, domains.setContacts, and the
// registry's side of a transfer out (the gaining registrar takes the name: it leaves our account), each as its page
// under namecheap.com/support/api/methods/domains describes it.
import type { SandboxRegistration, SandboxRegistry } from '../registry-state.ts';
import { ApiFailure, el, NamecheapErrorNumber as E, type Params } from './api.ts';
import { NO_REGISTRAR_LOCK_TLDS, transferableFrom } from '../../domain/transfer-rules.ts';

/** Every contact setContacts takes, as domains.create does: four roles, each with these fields (methods/domains/set-contacts). */
export const CONTACT_ROLES = ['Registrant', 'Tech', 'Admin', 'AuxBilling'];
export const CONTACT_FIELDS = ['FirstName', 'LastName', 'Address1', 'City', 'StateProvince', 'PostalCode', 'Country', 'Phone', 'EmailAddress'];
/** what a contact may carry besides the required fields, kept as given */
export const CONTACT_EXTRA = ['OrganizationName', 'JobTitle', 'Address2'];
/** "+NNN.NNNNNNNNNN" (methods/domains/create, the contact Phone fields) */
const PHONE = /^\+\d{1,3}\.\d{4,14}$/;

/** Who holds a name once it has left: the gaining registrar's account, never ours. */
export const GAINING_REGISTRAR = 'gaining-registrar';

const tldOf = (domain: string) => domain.split('.').slice(1).join('.');

/** A TLD whose registry has no registrar lock (nothing to remove: the auth code alone protects the transfer). */
export const hasNoLock = (domain: string) => NO_REGISTRAR_LOCK_TLDS.includes(tldOf(domain));

/** A name is locked from its purchase on (Namecheap knowledgebase 380: the lock is removed before a transfer out), unless its TLD has none. */
export const isLocked = (reg: SandboxRegistration) => !hasNoLock(reg.domain) && reg.locked !== false;

/**
 * The four contacts of a create or setContacts call, each complete, the phone as +NNN.NNNNNNNNNN: what domains.create
 * refuses (2010323 a required field missing, 2015182 the phone) setContacts refuses too, as its page requires the same
 * fields of each role.
 */
export function checkContacts(p: Params): void {
  for (const role of CONTACT_ROLES) {
    for (const field of CONTACT_FIELDS) {
      if (!p.get(role + field)) throw new ApiFailure(E.CONTACT_FIELD_MISSING, `Check required field for ${role} contact: ${role}${field} is missing`);
    }
    if (!PHONE.test(p.get(`${role}Phone`) ?? '')) {
      throw new ApiFailure(E.PHONE_INVALID, 'The contact phone is invalid. The phone number format is +NNN.NNNNNNNNNN');
    }
  }
}

/** A call's contacts as its parameters give them, by role. */
export function contactsOf(p: Params): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const role of CONTACT_ROLES) {
    out[role] = {};
    for (const field of [...CONTACT_FIELDS, ...CONTACT_EXTRA]) {
      const v = p.get(role + field);
      if (v !== undefined) out[role][field] = v;
    }
  }
  return out;
}

export interface TransferContext {
  registry: SandboxRegistry;
  ownRegistration(domain: string): SandboxRegistration;
}

export function transferCommands(c: TransferContext) {
  // namecheap.domains.getRegistrarLock (methods/domains/get-registrar-lock): DomainName; <DomainGetRegistrarLockResult
  // Domain RegistrarLockStatus="true|false">. A TLD without a lock reads as unlocked: nothing stops its transfer.
  function getRegistrarLock(p: Params): string {
    const reg = c.ownRegistration(p.required('DomainName').toLowerCase());
    return el('DomainGetRegistrarLockResult', { Domain: reg.domain, RegistrarLockStatus: isLocked(reg) });
  }

  // namecheap.domains.setRegistrarLock (methods/domains/set-registrar-lock): LockAction LOCK (the default) or UNLOCK,
  // else 2015278 "Invalid data specified for LockAction"; a TLD without a registrar lock answers 2030166 "Edit
  // permission for domain is not supported" (the page's error for a domain whose lock cannot be edited)
  function setRegistrarLock(p: Params): string {
    const reg = c.ownRegistration(p.required('DomainName').toLowerCase());
    const action = (p.get('LockAction') ?? 'LOCK').toUpperCase();
    if (action !== 'LOCK' && action !== 'UNLOCK') throw new ApiFailure(E.LOCK_ACTION_INVALID, 'Invalid data specified for LockAction');
    if (hasNoLock(reg.domain)) throw new ApiFailure(E.EDIT_NOT_SUPPORTED, 'Edit permission for Domain is not supported');
    c.registry.setLock(reg.domain, action === 'LOCK');
    return el('DomainSetRegistrarLockResult', { Domain: reg.domain, IsSuccess: true });
  }

  // namecheap.domains.setContacts (methods/domains/set-contacts): DomainName and the four contacts, each complete;
  // <DomainSetContactResult Domain IsSuccess="true"> (the official SDK's fixture, namecheaptest/fixtures/domains_setContacts.xml)
  function setContacts(p: Params): string {
    const reg = c.ownRegistration(p.required('DomainName').toLowerCase());
    checkContacts(p);
    c.registry.setContacts(reg.domain, contactsOf(p));
    return el('DomainSetContactResult', { Domain: reg.domain, IsSuccess: true });
  }

  return {
    'namecheap.domains.getRegistrarLock': getRegistrarLock,
    'namecheap.domains.setRegistrarLock': setRegistrarLock,
    'namecheap.domains.setContacts': setContacts,
  };
}

/**
 * The registry completes a transfer another registrar asked for: the name leaves our account (getList no longer lists
 * it; getInfo answers 2016166 "Domain is not associated with your account"). As at a registry, a locked name cannot be
 * taken (clientTransferProhibited); throws then.
 */
export function completeTransferOut(registry: SandboxRegistry, apiUser: string, domain: string): SandboxRegistration {
  const reg = registry.get(domain);
  if (!reg || reg.owner !== apiUser) throw new Error(`${domain} is not in the account`);
  if (isLocked(reg)) throw new Error(`${domain} is locked at the registrar: the transfer is refused (clientTransferProhibited)`);
  // Namecheap cancels a transfer of a name "not yet 60 days" old (knowledgebase 1346), as ICANN's Transfer Policy
  // (I.A.3.7) lets the registrar of record deny it; a ccTLD whose registry sets no such wait is not held back
  if (transferableFrom(tldOf(reg.domain), { registeredAt: new Date(reg.createdAt) })) {
    throw new Error(`${domain} was registered less than 60 days ago: the transfer is refused`);
  }
  return registry.setOwner(reg.domain, GAINING_REGISTRAR);
}

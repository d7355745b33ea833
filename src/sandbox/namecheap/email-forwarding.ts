// Namecheap's email forwarding in the sandbox: domains.dns.getEmailForwarding and setEmailForwarding, as their pages
// under namecheap.com/support/api/methods/domains-dns describe them, and the checks setHosts makes of each record.
import type { SandboxHostRecord, SandboxRegistration } from '../registry-state.ts';
import { ApiFailure, el, NamecheapErrorNumber as E, type Params } from './api.ts';

/** setHosts' EmailType: "Possible values are MXE, MX, FWD, OX" (methods/domains-dns/set-hosts). */
export const EMAIL_TYPES = ['MXE', 'MX', 'FWD', 'OX'];

// Namecheap documents no limit on the number of forwards a call may set, so the sandbox sets none.
/**
 * A mailbox is the forwarded address's local part: the set-email-forwarding page's example sends `mailbox1=info`, and
 * a whole address there is refused (jsgv/namecheap-go#2, where the fix was to send the local part). Which characters
 * the live API takes is not documented: the sandbox takes RFC 5321's dot-atom letters, digits, `.`, `_` and `-`.
 */
const MAILBOX = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/i;
const EMAIL = /^[^\s@"<>,;]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const LABEL = /^(?:\*|[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/i;

/**
 * One setHosts record checked as the live API checks it: a host name of at most 127 labels of 63 characters and 255 in
 * all (the set-hosts page's note), an A record's IPv4 and an AAAA record's IPv6 address, an MX preference that is a
 * number. Throws the API's refusal; the sandbox numbers them in its own 2xxxxxx range (api.ts).
 */
export function checkHostRecord(i: number, record: SandboxHostRecord, isIp: (v: string) => number): void {
  const bad = (what: string) => {
    throw new ApiFailure(E.PARAMETER_INVALID, `${what}${i} "${what === 'HostName' ? record.name : record.address}" is not valid for a ${record.type} record`);
  };
  const labels = record.name === '@' ? [] : record.name.split('.');
  if (record.name.length > 255 || labels.length > 127 || !labels.every((l) => LABEL.test(l))) bad('HostName');
  if (record.type === 'A' && isIp(record.address) !== 4) bad('Address');
  if (record.type === 'AAAA' && isIp(record.address) !== 6) bad('Address');
  if (['CNAME', 'MX', 'NS', 'ALIAS'].includes(record.type) && (isIp(record.address) !== 0 || !/^[a-z0-9_.-]+\.?$/i.test(record.address))) bad('Address');
  if (record.type === 'MX' && !(Number.isInteger(record.mxPref) && record.mxPref! >= 0 && record.mxPref! <= 65_535)) {
    throw new ApiFailure(E.PARAMETER_INVALID, `MXPref${i} must be a number between 0 and 65535`);
  }
}

export interface ForwardingContext {
  ownRegistration(domain: string): SandboxRegistration;
}

export function emailForwardingCommands(c: ForwardingContext) {
  // namecheap.domains.dns.getEmailForwarding: DomainName; <Forward mailbox="info">to@example.com</Forward> per forward
  function getEmailForwarding(p: Params): string {
    const reg = c.ownRegistration(p.required('DomainName').toLowerCase());
    const forwards = (reg.forwards ?? []).map((f) => el('Forward', { mailbox: f.mailbox }, escapeText(f.forwardTo))).join('');
    return el('DomainDNSGetEmailForwardingResult', { Domain: reg.domain }, forwards);
  }

  // namecheap.domains.dns.setEmailForwarding: DomainName, MailBox[n], ForwardTo[n]; the forwards given replace the others
  function setEmailForwarding(p: Params): string {
    const reg = c.ownRegistration(p.required('DomainName').toLowerCase());
    const indices = p
      .names()
      .map((k) => /^mailbox(\d+)$/.exec(k)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const forwards = indices.map((i) => {
      const mailbox = p.required(`MailBox${i}`).toLowerCase();
      const forwardTo = p.required(`ForwardTo${i}`);
      if (!MAILBOX.test(mailbox)) throw new ApiFailure(E.PARAMETER_INVALID, `Invalid MailBox${i}`);
      // what the live API answers for an address it does not take (jsgv/namecheap-go#2)
      if (!EMAIL.test(forwardTo)) throw new ApiFailure(E.PARAMETER_INVALID, 'Invalid ForwardTo Email.');
      return { mailbox, forwardTo };
    });
    reg.forwards = forwards;
    return el('DomainDNSSetEmailForwardingResult', { Domain: reg.domain, IsSuccess: true });
  }

  return { 'namecheap.domains.dns.getEmailForwarding': getEmailForwarding, 'namecheap.domains.dns.setEmailForwarding': setEmailForwarding };
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

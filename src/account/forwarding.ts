// One-click email forwarding (contact@<domain> to the customer's own address) through the registrar's forwarding.
// Namecheap forwards a domain's mail only while setHosts' EmailType is FWD, and keeps MX records only with EmailType MX:
// the two exclude each other, so forwarding is refused while MX records are there, and MX records while it is on.
import type { Deps } from '../deps.ts';
import type { Order } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { call, readZone, withDomainLock, writeZone } from './dns.ts';

export async function readForwarding(deps: Deps, order: Order) {
  const zone = await readZone(deps, order, 'confirm');
  const forwards = await call(deps, order, 'dns.getEmailForwarding', (r) => r.getEmailForwarding(order.domain), 'confirm');
  return { forwards, active: zone.mail === 'forwarding' };
}

/** `mailbox`@domain forwards to the customer's address (only theirs: the space is no open relay to any address). */
export function enableForwarding(deps: Deps, order: Order, mailbox: string, to: string) {
  return withDomainLock(deps, order.domain, async () => {
    const zone = await readZone(deps, order);
    if (zone.mail === 'mx') throw new AppError('mail_routing_conflict', 409, { reason: 'mx_present' });
    const current = await call(deps, order, 'dns.getEmailForwarding', (r) => r.getEmailForwarding(order.domain));
    const forwards = [...current.filter((f) => f.mailbox !== mailbox), { mailbox, forwardTo: to }];
    // the forwards first, then the mail routed to them: mail never reaches a forwarding that has none
    await call(deps, order, 'dns.setEmailForwarding', (r) => r.setEmailForwarding(order.domain, forwards));
    if (zone.emailType !== 'FWD') await writeZone(deps, order, zone.hosts, 'FWD');
    return { forwards, active: true };
  });
}

export function disableForwarding(deps: Deps, order: Order, mailbox: string) {
  return withDomainLock(deps, order.domain, async () => {
    const zone = await readZone(deps, order);
    const current = await call(deps, order, 'dns.getEmailForwarding', (r) => r.getEmailForwarding(order.domain));
    if (!current.some((f) => f.mailbox === mailbox)) throw new AppError('dns_record_not_found', 404);
    const forwards = current.filter((f) => f.mailbox !== mailbox);
    // the last forward gone, the domain's mail goes nowhere rather than to an empty forwarding
    if (!forwards.length && zone.emailType === 'FWD') await writeZone(deps, order, zone.hosts, 'NONE');
    await call(deps, order, 'dns.setEmailForwarding', (r) => r.setEmailForwarding(order.domain, forwards));
    return { forwards, active: forwards.length > 0 && zone.mail === 'forwarding' };
  });
}

// The holder's contact data from the customer's space: the same holder's address, phone and email, written to the
// registrar as the registrant contact (domains.setContacts takes all four: admin, tech and billing stay as the registrar
// holds them, the operator's). Another person or organisation as holder is a change of holder, refused here with the
// way to proceed (src/domain/transfer-rules.ts).
import type { Deps } from '../deps.ts';
import { addEvent } from '../db/orders.ts';
import { holderOf } from '../db/holders.ts';
import type { Order } from '../db/schema.ts';
import type { Holder, StoredHolder } from '../domain/holder.ts';
import type { Locale } from '../domain/locale.ts';
import { eligibilityProblems } from '../domain/tld-rules.ts';
import { HOLDER_IDENTITY_FIELDS, isGtld, transferableFrom } from '../domain/transfer-rules.ts';
import { defineTimelineTexts } from '../domain/timeline.ts';
import { formatDay } from '../emails/i18n.ts';
import { ProviderError } from '../errors.ts';
import { errorMessage } from '../http/error-messages.ts';
import { validationError } from '../http/field-problems.ts';
import type { Contact } from '../providers/registrar/index.ts';
import { registrantContact } from '../workflow/steps/register-domain.ts';
import { call, withDomainLock } from './dns.ts';
import { recordRegistrantChange, transferableFromKnown } from './transfer-window.ts';

defineTimelineTexts({
  holder_updated: {
    fr: () => 'Coordonnées du titulaire du domaine mises à jour chez le registraire.',
    en: () => 'The domain holder’s contact details updated at the registrar.',
  },
  registrant_changed: {
    fr: (d) =>
      `E-mail du titulaire changé : un « changement de titulaire » au sens de l’ICANN, que Namecheap fait confirmer par e-mail aux deux adresses ; le domaine ne peut pas changer de registraire avant le ${day(d.transferableFrom, 'fr')}.`,
    en: (d) =>
      `Holder’s email changed: a “change of registrant” under ICANN’s rules, which Namecheap asks both addresses to confirm by email; the domain cannot change registrar before ${day(d.transferableFrom, 'en')}.`,
  },
});

const day = (v: unknown, locale: Locale) => formatDay(String(v), locale);
const tldOf = (domain: string) => domain.split('.').slice(1).join('.');
/** Names compared as a person reads them: case, accents kept, spaces collapsed; absent and blank alike. */
const same = (a: unknown, b: unknown) =>
  String(a ?? '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase() ===
  String(b ?? '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();

/** The holder's identity from the registrar's registrant, for an order stored without one. */
const fromRegistrant = (c: Contact): Partial<Holder> => ({ firstName: c.firstName, lastName: c.lastName, organization: c.organization });

export interface HolderUpdated {
  holder: StoredHolder;
  /** a gTLD's registrant email changed: ICANN's Change of Registrant (both addresses confirm; a 60-day transfer lock follows) */
  changeOfRegistrant: boolean;
  /** from when the name may leave, when a waiting period runs now (ISO instant) */
  transferableFrom: string | null;
}

/** The holder the space shows and edits: as stored with the order (the registrar's registrant when none is). */
export async function readHolder(deps: Deps, order: Order): Promise<StoredHolder | null> {
  return (await holderOf(deps.db, order.id)) ?? null;
}

/**
 * Updates the holder's contact data. Refused with 422 before any registrar call, nothing stored: a field the holder
 * schema refuses (the route's), an identity field changed (holder_change_not_allowed, each field named), or a holder
 * the TLD's registry would not accept (its country). The registrar's registrant is read back after the write.
 */
export async function updateHolder(deps: Deps, order: Order, input: Holder, locale: Locale): Promise<HolderUpdated> {
  const stored = await holderOf(deps.db, order.id);
  const next: StoredHolder = { ...input, email: input.email ?? stored?.email ?? order.email };
  return withDomainLock(deps, order.domain, async () => {
    const contacts = await call(deps, order, 'domains.getContacts', (r) => r.getContacts(order.domain));
    const before: Partial<Holder> = stored ?? fromRegistrant(contacts.registrant);
    const changed = HOLDER_IDENTITY_FIELDS.filter((f) => (stored || ['firstName', 'lastName', 'organization'].includes(f)) && !same(before[f], next[f]));
    const tld = tldOf(order.domain);
    const problems = [
      ...changed.map((field) => ({
        field: `holder.${field}`,
        code: 'holder_change_not_allowed' as const,
        message: errorMessage('holder_change_not_allowed', locale, { tld }),
        params: { tld },
      })),
      ...eligibilityProblems(next, tld).map((p) => ({
        field: `holder.${p.field}`,
        code: p.code,
        message: errorMessage(p.code, locale, { tld: p.tld, registry: p.registry, field: p.field, country: next.country }),
        params: { tld: p.tld, registry: p.registry, field: p.field, country: next.country },
      })),
    ];
    if (problems.length) throw validationError(problems, locale);

    const registrant = registrantContact(next, order.email);
    await call(deps, order, 'domains.setContacts', (r) => r.setContacts(order.domain, { ...contacts, registrant }));
    const after = await call(deps, order, 'domains.getContacts', (r) => r.getContacts(order.domain));
    const kept = (['address1', 'city', 'postalCode', 'country', 'phone', 'email'] as const).every((k) => same(after.registrant[k], registrant[k]));
    if (!kept) throw new ProviderError(deps.registrar.name, 'server_error', `${order.domain}: setContacts did not keep the registrant`, true);

    // a gTLD registrant's new email is a Change of Registrant (ICANN Transfer Policy II.A.1.1.3): Namecheap sends its
    // confirmation and approval emails (knowledgebase 9819), and a 60-day inter-registrar lock follows unless the
    // registrant opted out beforehand (II.C.2); setContacts takes no opt-out (methods/domains/set-contacts), so the
    // wait counts from now
    const changeOfRegistrant = isGtld(tld) && !same(contacts.registrant.email, next.email);
    const at = new Date();
    await deps.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('order_holders')
        .values({ order_id: order.id, holder: JSON.stringify(next) })
        .onConflict((oc) => oc.column('order_id').doUpdateSet({ holder: JSON.stringify(next) }))
        .execute();
      await addEvent(tx, order.id, 'holder_updated', {});
      if (changeOfRegistrant) {
        await recordRegistrantChange(tx, order.id, at);
        await addEvent(tx, order.id, 'registrant_changed', { transferableFrom: transferableFrom(tld, { registrantChangedAt: at }, at)?.toISOString() ?? null });
      }
    });
    const lockedUntil = changeOfRegistrant ? await transferableFromKnown(deps.db, order) : null;
    return { holder: next, changeOfRegistrant, transferableFrom: lockedUntil?.toISOString() ?? null };
  });
}

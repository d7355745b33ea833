// The seller's identity (settings: src/config/seller.ts) as the legal notice and the terms state it.
import type { Locale } from '../domain/locale.ts';
import type { Host, Seller } from '../config/seller.ts';

export { legalPartiesOf, sellerOf, type Host, type Mediator, type Seller } from '../config/seller.ts';

/** Code de commerce R123-237 (name, form, capital, RCS, registered office) and loi n° 2004-575, art. 6 III (contact). */
export function sellerLines(s: Seller, locale: Locale): string[] {
  const fr = locale === 'fr';
  const label = (french: string, english: string) => (fr ? `${french} : ` : `${english}: `);
  return [
    `${s.legalName}, ${s.legalForm}${fr ? ' au capital de ' : ' with a share capital of '}${s.shareCapital}`,
    `${label('Siège social', 'Registered office')}${s.address}, ${s.postalCode} ${s.city}, ${s.country}`,
    `SIREN ${s.siren} · SIRET ${s.siret} · ${s.rcs}`,
    `${label('N° de TVA intracommunautaire', 'EU VAT number')}${s.vatNumber}`,
    `${label('Contact', 'Contact')}${s.email} · ${s.phone}`,
    ...(s.example ? [fr ? 'Identité d’exemple : les réglages SELLER_* ne sont pas renseignés.' : 'Example identity: the SELLER_* settings are not set.'] : []),
  ];
}

/** LCEN art. 6 III 1 d: the host's name, address and telephone. */
export function hostLines(h: Host, locale: Locale): string[] {
  const fr = locale === 'fr';
  return [
    h.name,
    `${fr ? 'Adresse : ' : 'Address: '}${h.address}`,
    `${fr ? 'Téléphone : ' : 'Telephone: '}${h.phone}`,
    ...(h.example ? [fr ? 'Hébergeur d’exemple : les réglages HOST_* ne sont pas renseignés.' : 'Example host: the HOST_* settings are not set.'] : []),
  ];
}

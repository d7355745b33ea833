// Who is invoiced, when not the domain's holder: a person or a business, its address and, for an EU business, its VAT
// number (checked by the server: a bad one is refused before payment). A business has no right of withdrawal.
import { useLocale } from '../i18n.ts';
import { Field } from '../ui/Field.tsx';
import type { BillingInputWire } from '@contract/invoices.ts';

export interface BillingDraft {
  on: boolean;
  type: 'individual' | 'organization';
  name: string;
  companyId: string;
  vatNumber: string;
  address1: string;
  postalCode: string;
  city: string;
  country: string;
}

export const emptyBilling: BillingDraft = {
  on: false,
  type: 'organization',
  name: '',
  companyId: '',
  vatNumber: '',
  address1: '',
  postalCode: '',
  city: '',
  country: 'FR',
};

const words = {
  fr: {
    toggle: 'Facturer une autre identité (entreprise, n° de TVA intracommunautaire)',
    person: 'Un particulier',
    business: 'Une entreprise',
    name: 'Nom complet ou raison sociale',
    companyId: 'SIREN ou SIRET (entreprise française)',
    vatNumber: 'N° de TVA intracommunautaire (entreprise de l’UE)',
    address1: 'Adresse',
    postalCode: 'Code postal',
    city: 'Ville',
    country: 'Pays (code ISO, ex. FR, BE, DE)',
    businessNote:
      'Un client professionnel ne bénéficie pas du droit de rétractation. Une entreprise de l’UE hors de France avec un n° de TVA valide est facturée hors taxes (autoliquidation).',
  },
  en: {
    toggle: 'Invoice another identity (a business, an EU VAT number)',
    person: 'A person',
    business: 'A business',
    name: 'Full name or company name',
    companyId: 'SIREN or SIRET (French business)',
    vatNumber: 'EU VAT number (EU business)',
    address1: 'Address',
    postalCode: 'Postal code',
    city: 'City',
    country: 'Country (ISO code, e.g. FR, BE, DE)',
    businessNote:
      'A business customer has no right of withdrawal. An EU business outside France with a valid VAT number is invoiced excluding VAT (reverse charge).',
  },
} as const;

/** The request's `billing`, or nothing when the holder is invoiced. */
export function billingOf(d: BillingDraft): BillingInputWire | undefined {
  if (!d.on) return undefined;
  const opt = (v: string) => (v.trim() ? v.trim() : undefined);
  return {
    type: d.type,
    name: d.name.trim(),
    address1: d.address1.trim(),
    postalCode: d.postalCode.trim(),
    city: d.city.trim(),
    country: d.country.trim().toUpperCase(),
    ...(opt(d.companyId) ? { companyId: opt(d.companyId) } : {}),
    ...(opt(d.vatNumber) ? { vatNumber: opt(d.vatNumber) } : {}),
  };
}

export function BillingFields({ value, onChange, disabled }: { value: BillingDraft; onChange(v: BillingDraft): void; disabled: boolean }) {
  const { locale } = useLocale();
  const w = words[locale];
  const set = (field: keyof BillingDraft) => (e: React.ChangeEvent<HTMLInputElement>) => onChange({ ...value, [field]: e.target.value });
  return (
    <fieldset className="billing" disabled={disabled}>
      <label className="checkbox">
        <input type="checkbox" name="billingOn" checked={value.on} onChange={(e) => onChange({ ...value, on: e.target.checked })} /> {w.toggle}
      </label>
      {value.on && (
        <>
          <div className="choices choices-inline">
            {(['individual', 'organization'] as const).map((type) => (
              <label key={type}>
                <input type="radio" name="billingType" value={type} checked={value.type === type} onChange={() => onChange({ ...value, type })} />{' '}
                {type === 'individual' ? w.person : w.business}
              </label>
            ))}
          </div>
          <Field label={w.name} name="billingName" required maxLength={200} value={value.name} onChange={set('name')} />
          {value.type === 'organization' && (
            <>
              <Field label={w.companyId} name="billingCompanyId" maxLength={40} value={value.companyId} onChange={set('companyId')} />
              <Field label={w.vatNumber} name="billingVatNumber" maxLength={20} value={value.vatNumber} onChange={set('vatNumber')} />
              <p className="muted small">{w.businessNote}</p>
            </>
          )}
          <Field
            label={w.address1}
            name="billingAddress1"
            required
            maxLength={200}
            autoComplete="street-address"
            value={value.address1}
            onChange={set('address1')}
          />
          <Field
            label={w.postalCode}
            name="billingPostalCode"
            required
            maxLength={20}
            autoComplete="postal-code"
            value={value.postalCode}
            onChange={set('postalCode')}
          />
          <Field label={w.city} name="billingCity" required maxLength={80} value={value.city} onChange={set('city')} />
          <Field label={w.country} name="billingCountry" required maxLength={2} value={value.country} onChange={set('country')} />
        </>
      )}
    </fieldset>
  );
}

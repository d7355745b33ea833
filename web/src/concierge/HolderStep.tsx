// Step 3: the domain's holder (registrant), who will own the name. It asks only what the chosen TLD and the kind of
// holder need (the TLD's rules come with the price list, from src/domain/tld-rules.ts), says why, and when the
// registry would refuse the holder it says which rule and offers the same name under the TLDs that accept them.
import { useEffect, useMemo, useRef } from 'react';
import { useLocale } from '../i18n.ts';
import { Field, FieldError } from '../ui/Field.tsx';
import { Choice, StepActions, StepForm } from '../ui/Form.tsx';
import type { PriceList } from '../api.ts';
import type { FieldErrors } from './ConciergeModal.tsx';
import type { DomainChoice } from './DomainStep.tsx';
// plain data (no imports): the same ISO 3166-1 list the API checks the country against
import { COUNTRY_CODES } from '../../../src/domain/countries.ts';

export type HolderType = 'individual' | 'organization';

export interface HolderForm {
  type: HolderType;
  organization: string;
  companyId: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  birthPlace: string;
  address1: string;
  address2: string;
  postalCode: string;
  city: string;
  country: string;
  phone: string;
}

type TextField = Exclude<keyof HolderForm, 'type'>;
export type HolderRules = PriceList['tlds'][number]['holder'];

export const EMPTY_HOLDER: HolderForm = {
  type: 'individual',
  organization: '',
  companyId: '',
  firstName: '',
  lastName: '',
  birthDate: '',
  birthPlace: '',
  address1: '',
  address2: '',
  postalCode: '',
  city: '',
  country: 'FR',
  phone: '',
};

/** Registrars' phone form (Namecheap's contacts): +CC.NUMBER. */
const PHONE = /^\+\d{1,3}\.\d{4,14}$/;
/** Calling codes of the countries whose national numbers start with a trunk 0 the international form drops. */
const CALLING_CODES: Record<string, string> = {
  FR: '33',
  BE: '32',
  CH: '41',
  DE: '49',
  NL: '31',
  AT: '43',
  IE: '353',
  GB: '44',
  GF: '594',
  GP: '590',
  MQ: '596',
  RE: '262',
};

/** "06 12 34 56 78" in France → "+33.612345678"; "+33 6 12…" → "+33.612…"; anything else as typed. */
export function phoneOf(typed: string, country: string): string {
  const compact = typed.replace(/[\s().-]/g, '');
  if (PHONE.test(typed.trim())) return typed.trim();
  const code = CALLING_CODES[country];
  if (code && /^0\d{6,13}$/.test(compact)) return `+${code}.${compact.slice(1)}`;
  if (code && compact.startsWith(`+${code}`) && /^\+\d{7,17}$/.test(compact)) return `+${code}.${compact.slice(code.length + 1)}`;
  return typed.trim();
}

/** A real calendar date, YYYY-MM-DD, not in the future. */
function isPastDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) && d.getTime() <= Date.now() && Number(m[1]) >= 1900;
}

/** The fields this holder gives for this TLD, in the order they are shown. */
export function holderFields(h: HolderForm, rules: HolderRules | undefined): TextField[] {
  const asks = (f: string) => (rules?.requires[h.type] ?? []).includes(f);
  return [
    ...(h.type === 'organization' ? (['organization'] as const) : []),
    ...(h.type === 'organization' && asks('companyId') ? (['companyId'] as const) : []),
    'firstName',
    'lastName',
    ...(h.type === 'individual' && asks('birthDate') ? (['birthDate'] as const) : []),
    ...(h.type === 'individual' && asks('birthPlace') ? (['birthPlace'] as const) : []),
    'address1',
    'address2',
    'postalCode',
    'city',
    'country',
    'phone',
  ];
}

/** The holder as the API takes it: only the fields shown, the optional ones when given, the phone in registrars' form. */
export function holderBody(h: HolderForm, rules: HolderRules | undefined): Record<string, string> {
  const out: Record<string, string> = { type: h.type };
  for (const f of holderFields(h, rules)) {
    const v = f === 'phone' ? phoneOf(h.phone, h.country) : h[f].trim();
    if (v) out[f] = v;
  }
  return out;
}

const OPTIONAL: TextField[] = ['address2'];

export function HolderStep({
  value,
  onChange,
  errors,
  onErrors,
  domain,
  prices,
  onOtherTld,
  onBack,
  onNext,
}: {
  value: HolderForm;
  onChange(v: HolderForm, field: keyof HolderForm): void;
  /** keyed by the API's field names: `holder.firstName`, … */
  errors: FieldErrors;
  onErrors(e: FieldErrors): void;
  domain: DomainChoice;
  prices: PriceList | null;
  /** the same name under another TLD: back to the domain step to check it */
  onOtherTld(tld: string): void;
  onBack(): void;
  onNext(): void;
}) {
  const { t, locale } = useLocale();
  const tld = domain.domain.slice(domain.domain.indexOf('.') + 1);
  const rules = prices?.tlds.find((x) => x.tld === tld)?.holder;
  const refs = useRef<Partial<Record<TextField, HTMLInputElement | HTMLSelectElement | null>>>({});
  const typeRef = useRef<HTMLFieldSetElement>(null);
  const fields = holderFields(value, rules);
  const regionName = useMemo(() => new Intl.DisplayNames([locale], { type: 'region' }), [locale]);
  const countries = useMemo(
    () => COUNTRY_CODES.map((code) => ({ code, name: regionName.of(code) ?? code })).sort((a, b) => a.name.localeCompare(b.name, locale)),
    [regionName, locale],
  );
  const eligibleHere = !rules?.countries || rules.countries.includes(value.country);
  const otherTlds = (prices?.tlds ?? []).filter((x) => x.tld !== tld && (!x.holder.countries || x.holder.countries.includes(value.country))).map((x) => x.tld);
  const label = domain.unicode.slice(0, domain.unicode.length - tld.length - 1);

  useEffect(() => {
    // back here because the API refused a field: put the person right there
    const first = fields.find((f) => errors[`holder.${f}`]);
    if (first) refs.current[first]?.focus();
    else typeRef.current?.querySelector<HTMLInputElement>('input:checked')?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = () => {
    const next: FieldErrors = {};
    for (const f of fields) {
      const v = value[f].trim();
      if (!v && !OPTIONAL.includes(f)) next[`holder.${f}`] = t.validation.required;
      else if (v.length > (f === 'organization' || f.startsWith('address') ? 200 : 100)) next[`holder.${f}`] = t.validation.tooLong;
    }
    if (value.phone.trim() && !PHONE.test(phoneOf(value.phone, value.country))) next['holder.phone'] = t.holder.badPhone;
    if (fields.includes('birthDate') && value.birthDate.trim() && !isPastDate(value.birthDate.trim())) next['holder.birthDate'] = t.holder.badDate;
    if (!eligibleHere && rules) next['holder.country'] = t.holder.notEligible(tld, rules.registry, regionName.of(value.country) ?? value.country);
    // errors the API gave for these fields stay until the person changes them
    for (const f of fields) if (!next[`holder.${f}`] && errors[`holder.${f}`]) next[`holder.${f}`] = errors[`holder.${f}`];
    onErrors(next);
    const first = fields.find((f) => next[`holder.${f}`]);
    if (first) {
      refs.current[first]?.focus();
      return;
    }
    onNext();
  };

  const set = (field: keyof HolderForm) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    onChange({ ...value, [field]: e.target.value }, field);

  const text = (f: Exclude<TextField, 'country'>, extra: Partial<React.InputHTMLAttributes<HTMLInputElement>> & { hint?: string } = {}) => {
    const { hint, ...input } = extra;
    return (
      <Field
        key={f}
        ref={(el) => {
          refs.current[f] = el;
        }}
        label={
          OPTIONAL.includes(f) ? (
            <>
              {t.holder[f]} <span className="optional">{t.holder.optional}</span>
            </>
          ) : f === 'organization' ? (
            t.holder.organizationName
          ) : (
            t.holder[f]
          )
        }
        hint={hint}
        name={`holder.${f}`}
        required={!OPTIONAL.includes(f)}
        aria-required={OPTIONAL.includes(f) ? undefined : 'true'}
        value={value[f]}
        onChange={set(f)}
        error={errors[`holder.${f}`]}
        {...input}
      />
    );
  };

  const countryError = errors['holder.country'];
  return (
    <StepForm onSubmit={submit}>
      <p className="step-intro">{t.holder.intro(domain.unicode)}</p>
      {rules && (
        <details className="holder-why">
          <summary>{t.holder.why}</summary>
          <p>{rules.why[locale]}</p>
        </details>
      )}
      <fieldset className="choices" ref={typeRef}>
        <legend>{t.holder.legend}</legend>
        {(['individual', 'organization'] as const).map((type) => (
          <Choice key={type} name="holder.type" value={type} chosen={value.type === type} onChoose={() => onChange({ ...value, type }, 'type')}>
            <span>{t.holder[type]}</span>
          </Choice>
        ))}
      </fieldset>
      {fields.map((f) => {
        switch (f) {
          case 'organization':
            return text(f, { autoComplete: 'organization', maxLength: 200 });
          case 'companyId':
            return text(f, { hint: value.country === 'FR' ? undefined : t.holder.companyIdHint, inputMode: 'numeric', maxLength: 40 });
          case 'firstName':
            return text(f, { autoComplete: 'given-name', maxLength: 100, hint: value.type === 'organization' ? t.holder.contactPerson : undefined });
          case 'lastName':
            return text(f, { autoComplete: 'family-name', maxLength: 100 });
          case 'birthDate':
            return text(f, { hint: t.holder.birthDateHint, autoComplete: 'bday', maxLength: 10 });
          case 'birthPlace':
            return text(f, { hint: t.holder.birthPlaceHint, maxLength: 100 });
          case 'address1':
            return text(f, { autoComplete: 'address-line1', maxLength: 200 });
          case 'address2':
            return text(f, { autoComplete: 'address-line2', maxLength: 200 });
          case 'postalCode':
            return text(f, { autoComplete: 'postal-code', maxLength: 20 });
          case 'city':
            return text(f, { autoComplete: 'address-level2', maxLength: 50 });
          case 'phone':
            return text(f, { hint: t.holder.phoneHint, type: 'tel', inputMode: 'tel', autoComplete: 'tel', maxLength: 30 });
          default:
            // the country
            return (
              <div key={f} className={`field ${countryError ? 'field-invalid' : ''}`}>
                <label htmlFor="holder-country">{t.holder.country}</label>
                <select
                  id="holder-country"
                  name="holder.country"
                  ref={(el) => {
                    refs.current.country = el;
                  }}
                  autoComplete="country"
                  value={value.country}
                  onChange={set('country')}
                  aria-invalid={countryError ? true : undefined}
                  aria-describedby={countryError ? 'holder-country-error' : undefined}
                >
                  {countries.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.name}
                    </option>
                  ))}
                </select>
                {countryError && <FieldError id="holder-country-error">{countryError}</FieldError>}
              </div>
            );
        }
      })}
      {!eligibleHere && (
        <div className="holder-alternatives" role="status">
          <p>{otherTlds.length ? t.holder.eligibleAlternatives : t.holder.noEligible}</p>
          <ul className="alternatives">
            {otherTlds.map((other) => (
              <li key={other}>
                <button type="button" className="button button-ghost" onClick={() => onOtherTld(other)}>
                  {label}.{other}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <StepActions back={t.modal.back} onBack={onBack}>
        {t.modal.next}
      </StepActions>
    </StepForm>
  );
}

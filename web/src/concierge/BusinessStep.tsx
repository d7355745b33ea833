// Step 1: who the site is for: business name, email, city (optional).
import { useEffect, useRef } from 'react';
import { useLocale } from '../i18n.ts';
import { Field } from '../ui/Field.tsx';
import type { FieldErrors } from './ConciergeModal.tsx';
import { StepActions, StepForm } from '../ui/Form.tsx';

export interface BusinessForm {
  businessName: string;
  email: string;
  city: string;
}

// the same shape the API accepts: something@something.tld, no spaces
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function BusinessStep({
  value,
  errors,
  onChange,
  onErrors,
  onNext,
}: {
  value: BusinessForm;
  errors: FieldErrors;
  onChange(v: BusinessForm, field: keyof BusinessForm): void;
  onErrors(e: FieldErrors): void;
  onNext(): void;
}) {
  const { t } = useLocale();
  const refs = { businessName: useRef<HTMLInputElement>(null), email: useRef<HTMLInputElement>(null), city: useRef<HTMLInputElement>(null) };

  useEffect(() => {
    // back on this step because the API refused a field: put the person right there
    const first = (['businessName', 'email', 'city'] as const).find((f) => errors[f]);
    (first ? refs[first] : refs.businessName).current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = () => {
    const next: FieldErrors = {};
    const name = value.businessName.trim();
    const email = value.email.trim();
    if (!name) next.businessName = t.validation.required;
    else if (name.length > 120) next.businessName = t.validation.tooLong;
    if (!email) next.email = t.validation.required;
    else if (!EMAIL.test(email) || email.length > 254) next.email = t.validation.email;
    if (value.city.trim().length > 80) next.city = t.validation.tooLong;
    // errors the API gave for these fields stay until the person changes them
    for (const f of ['businessName', 'email', 'city'] as const) if (!next[f] && errors[f]) next[f] = errors[f];
    onErrors(next);
    const first = (['businessName', 'email', 'city'] as const).find((f) => next[f]);
    if (first) {
      refs[first].current?.focus();
      return;
    }
    onNext();
  };

  const set = (field: keyof BusinessForm) => (e: React.ChangeEvent<HTMLInputElement>) => onChange({ ...value, [field]: e.target.value }, field);

  return (
    <StepForm onSubmit={submit}>
      <p className="step-intro">{t.business.intro}</p>
      <Field
        ref={refs.businessName}
        label={t.business.name}
        hint={t.business.nameHint}
        name="businessName"
        autoComplete="organization"
        maxLength={120}
        required
        aria-required="true"
        value={value.businessName}
        onChange={set('businessName')}
        error={errors.businessName}
      />
      <Field
        ref={refs.email}
        label={t.business.email}
        hint={t.business.emailHint}
        name="email"
        type="email"
        inputMode="email"
        autoComplete="email"
        maxLength={254}
        required
        aria-required="true"
        value={value.email}
        onChange={set('email')}
        error={errors.email}
      />
      <Field
        ref={refs.city}
        label={
          <>
            {t.business.city} <span className="optional">{t.business.optional}</span>
          </>
        }
        hint={t.business.cityHint}
        name="city"
        autoComplete="address-level2"
        maxLength={80}
        value={value.city}
        onChange={set('city')}
        error={errors.city}
      />
      <StepActions>{t.modal.next}</StepActions>
    </StepForm>
  );
}

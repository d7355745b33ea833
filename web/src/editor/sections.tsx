// The form's sections: template, the business, services with prices, opening hours, contact, colours, legal notice.
import type { Locale } from '../i18n.ts';
import { inputId, newKey, sameColors, sortHours, type HoursDraft, type ServiceDraft } from './draft.ts';
import { GroupError, Section, TextArea, TextInput, useForm } from './fields.tsx';
import { isHexColor, textOn } from './contrast.ts';
import { WEEKDAYS, type Colors, type LegalField, type TemplateId, type Weekday } from './siteApi.ts';
import { Choice } from '../ui/Form.tsx';

/** Put the focus on an element once React has drawn it. */
export function focusSoon(id: string, fallbackId?: string): void {
  requestAnimationFrame(() => {
    const el = document.getElementById(id) as HTMLElement | null;
    if (el && !(el as HTMLButtonElement).disabled) el.focus();
    else if (fallbackId) document.getElementById(fallbackId)?.focus();
  });
}

export function TemplateSection({ templates }: { templates: { id: TemplateId; colors: Colors }[] }) {
  const f = useForm();
  const { e, draft } = f;
  const choose = (id: TemplateId) =>
    f.update((d) => {
      const before = templates.find((t) => t.id === d.template)?.colors;
      const after = templates.find((t) => t.id === id)?.colors;
      // colours nobody changed follow the template; chosen ones stay
      const colors = before && after && sameColors(d.colors, before) ? { ...after } : d.colors;
      return { ...d, template: id, colors };
    }, 'template');
  return (
    <Section id="ed-section-template" title={e.template.legend} hint={e.template.hint}>
      <fieldset className="ed-templates" id={inputId('template')}>
        <legend className="visually-hidden">{e.template.legend}</legend>
        {templates.map((tpl) => (
          <Choice
            key={tpl.id}
            className="ed-template"
            name="template"
            value={tpl.id}
            chosen={draft.template === tpl.id}
            onChoose={() => choose(tpl.id)}
            disabled={f.disabled}
          >
            <span className="choice-main">
              <strong>{e.template.names[tpl.id]}</strong>
              <span className="choice-detail">{e.template.descriptions[tpl.id]}</span>
            </span>
            <span className="ed-swatches" role="img" aria-label={e.template.colors(tpl.colors.primary, tpl.colors.accent)}>
              <span style={{ background: tpl.colors.primary }} />
              <span style={{ background: tpl.colors.accent }} />
            </span>
          </Choice>
        ))}
      </fieldset>
      <GroupError name="template" />
    </Section>
  );
}

export function BasicsSection() {
  const f = useForm();
  const { e, draft } = f;
  const set = (field: 'businessName' | 'tagline' | 'about' | 'city') => (v: string) => f.update((d) => ({ ...d, [field]: v }), field);
  const localeId = inputId('locale');
  const localeError = f.error('locale');
  return (
    <Section id="ed-section-business" title={e.basics.heading}>
      <TextInput
        name="businessName"
        label={e.basics.businessName}
        max={120}
        autoComplete="organization"
        value={draft.businessName}
        onValue={set('businessName')}
      />
      <TextInput name="tagline" label={e.basics.tagline} hint={e.basics.taglineHint} max={160} value={draft.tagline} onValue={set('tagline')} />
      <TextArea name="about" label={e.basics.about} hint={e.basics.aboutHint} max={4000} rows={6} value={draft.about} onValue={set('about')} />
      <div className="ed-row">
        <TextInput name="city" label={e.basics.city} max={80} autoComplete="address-level2" value={draft.city} onValue={set('city')} />
        <div className={`field ed-field ${localeError ? 'field-invalid' : ''}`}>
          <label htmlFor={localeId}>{e.basics.locale}</label>
          <select
            id={localeId}
            value={draft.locale}
            disabled={f.disabled}
            aria-invalid={localeError ? true : undefined}
            onChange={(ev) => f.update((d) => ({ ...d, locale: ev.target.value as Locale }), 'locale')}
          >
            {(['fr', 'en'] as const).map((l) => (
              <option key={l} value={l} lang={l}>
                {e.basics.locales[l]}
              </option>
            ))}
          </select>
          {localeError && <p className="field-error">{localeError}</p>}
        </div>
      </div>
    </Section>
  );
}

const MAX_SERVICES = 60;

export function ServicesSection() {
  const f = useForm();
  const { e, draft } = f;
  const list = draft.services;
  const label = (s: ServiceDraft) => s.name.trim() || e.services.unnamed;
  const change = (key: string, field: 'name' | 'description' | 'price') => (v: string) =>
    f.update((d) => ({ ...d, services: d.services.map((s) => (s.key === key ? { ...s, [field]: v } : s)) }), `services.${key}.${field}`, 'services');
  const add = () => {
    const key = newKey('s');
    f.update((d) => ({ ...d, services: [...d.services, { key, name: '', description: '', price: '' }] }), 'services');
    focusSoon(inputId(`services.${key}.name`));
  };
  const move = (index: number, by: -1 | 1) => {
    const s = list[index]!;
    const to = index + by;
    f.update((d) => {
      const next = [...d.services];
      next.splice(index, 1);
      next.splice(to, 0, s);
      return { ...d, services: next };
    });
    f.announce(e.services.moved(label(s), to + 1, list.length));
    const self = inputId(`services.${s.key}.${by < 0 ? 'up' : 'down'}`);
    const other = inputId(`services.${s.key}.${by < 0 ? 'down' : 'up'}`);
    focusSoon(self, other);
  };
  const remove = (index: number) => {
    const s = list[index]!;
    f.update((d) => ({ ...d, services: d.services.filter((x) => x.key !== s.key) }), 'services');
    f.announce(e.services.removed(label(s)));
    const next = list[index + 1] ?? list[index - 1];
    focusSoon(next ? inputId(`services.${next.key}.name`) : 'ed-services-add');
  };
  return (
    <Section id="ed-section-services" title={e.services.heading} hint={e.services.hint}>
      {list.length === 0 && <p className="muted">{e.services.empty}</p>}
      <ol className="ed-list">
        {list.map((s, i) => (
          <li key={s.key} className="ed-item" data-service={i}>
            <fieldset>
              <legend>{e.services.item(i + 1)}</legend>
              <div className="ed-service-grid">
                <TextInput
                  name={`services.${s.key}.name`}
                  label={e.services.name}
                  max={120}
                  value={s.name}
                  onValue={change(s.key, 'name')}
                  className="ed-grow"
                />
                <TextInput
                  name={`services.${s.key}.price`}
                  label={e.services.price}
                  hint={e.services.priceHint}
                  inputMode="decimal"
                  autoComplete="off"
                  value={s.price}
                  onValue={change(s.key, 'price')}
                  className="ed-price"
                />
              </div>
              <TextArea
                name={`services.${s.key}.description`}
                label={e.services.description}
                max={600}
                rows={2}
                value={s.description}
                onValue={change(s.key, 'description')}
              />
              <div className="ed-item-actions">
                <button
                  type="button"
                  id={inputId(`services.${s.key}.up`)}
                  className="button button-ghost button-small"
                  aria-label={e.services.upLabel(label(s))}
                  disabled={f.disabled || i === 0}
                  onClick={() => move(i, -1)}
                >
                  <Arrow up /> {e.services.up}
                </button>
                <button
                  type="button"
                  id={inputId(`services.${s.key}.down`)}
                  className="button button-ghost button-small"
                  aria-label={e.services.downLabel(label(s))}
                  disabled={f.disabled || i === list.length - 1}
                  onClick={() => move(i, 1)}
                >
                  <Arrow /> {e.services.down}
                </button>
                <button
                  type="button"
                  className="button button-ghost button-small ed-danger"
                  aria-label={e.services.removeLabel(label(s))}
                  disabled={f.disabled}
                  onClick={() => remove(i)}
                >
                  {e.services.remove}
                </button>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <GroupError name="services" />
      <button type="button" id="ed-services-add" className="button button-ghost" onClick={add} disabled={f.disabled || list.length >= MAX_SERVICES}>
        <Plus /> {e.services.add}
      </button>
      {list.length >= MAX_SERVICES && <p className="field-hint">{e.services.max(MAX_SERVICES)}</p>}
    </Section>
  );
}

function newSlot(day: Weekday, existing: HoursDraft[]): HoursDraft {
  const last = existing.at(-1);
  if (!last) return { key: newKey('h'), day, opens: '09:00', closes: '18:00' };
  const afternoon = last.closes && last.closes < '14:00';
  return { key: newKey('h'), day, opens: afternoon ? '14:00' : '19:00', closes: afternoon ? '19:00' : '23:00' };
}

export function HoursSection() {
  const f = useForm();
  const { e, draft } = f;
  const byDay = (day: Weekday) => draft.hours.filter((h) => h.day === day);
  const change = (key: string, field: 'opens' | 'closes') => (v: string) =>
    f.update((d) => ({ ...d, hours: d.hours.map((h) => (h.key === key ? { ...h, [field]: v } : h)) }), `hours.${key}.${field}`, 'hours');
  const add = (day: Weekday) => {
    const slot = newSlot(day, byDay(day));
    f.update((d) => ({ ...d, hours: sortHours([...d.hours, slot]) }), 'hours');
    focusSoon(inputId(`hours.${slot.key}.opens`));
  };
  const remove = (day: Weekday, key: string) => {
    f.update((d) => ({ ...d, hours: d.hours.filter((h) => h.key !== key) }), 'hours');
    focusSoon(`ed-hours-add-${day}`);
  };
  const monday = byDay('mon');
  const copyMonday = () => {
    f.update(
      (d) => ({
        ...d,
        hours: sortHours([
          ...d.hours.filter((h) => !['tue', 'wed', 'thu', 'fri'].includes(h.day)),
          ...(['tue', 'wed', 'thu', 'fri'] as Weekday[]).flatMap((day) => monday.map((m) => ({ key: newKey('h'), day, opens: m.opens, closes: m.closes }))),
        ]),
      }),
      'hours',
    );
    f.announce(e.hours.copied);
  };
  return (
    <Section id="ed-section-hours" title={e.hours.heading} hint={e.hours.hint}>
      <div className="ed-days">
        {WEEKDAYS.map((day) => {
          const slots = byDay(day);
          const dayName = e.hours.days[day];
          return (
            <fieldset key={day} className="ed-day" data-day={day}>
              <legend className="visually-hidden">{dayName}</legend>
              <span className="ed-day-name" aria-hidden="true">
                {dayName}
              </span>
              <div className="ed-slots">
                {slots.length === 0 && <span className="ed-closed">{e.hours.closed}</span>}
                {slots.map((h, n) => (
                  <div key={h.key} className="ed-slot">
                    <TextInput
                      type="time"
                      name={`hours.${h.key}.opens`}
                      label={<span className="visually-hidden">{`${e.hours.slotLabel(dayName, n + 1)} – ${e.hours.opens}`}</span>}
                      value={h.opens}
                      onValue={change(h.key, 'opens')}
                      className="ed-time"
                    />
                    <span className="ed-slot-dash" aria-hidden="true">
                      –
                    </span>
                    <TextInput
                      type="time"
                      name={`hours.${h.key}.closes`}
                      label={<span className="visually-hidden">{`${e.hours.slotLabel(dayName, n + 1)} – ${e.hours.closes}`}</span>}
                      value={h.closes}
                      onValue={change(h.key, 'closes')}
                      className="ed-time"
                    />
                    <button
                      type="button"
                      className="button button-ghost button-small ed-slot-remove"
                      aria-label={e.hours.removeFor(dayName, n + 1)}
                      disabled={f.disabled}
                      onClick={() => remove(day, h.key)}
                    >
                      {e.hours.remove}
                    </button>
                  </div>
                ))}
              </div>
              <button
                type="button"
                id={`ed-hours-add-${day}`}
                className="button button-ghost button-small ed-slot-add"
                aria-label={e.hours.addFor(dayName)}
                disabled={f.disabled || slots.length >= 4 || draft.hours.length >= 28}
                onClick={() => add(day)}
              >
                <Plus /> {e.hours.add}
              </button>
            </fieldset>
          );
        })}
      </div>
      <GroupError name="hours" />
      {monday.length > 0 && (
        <button type="button" className="button button-ghost button-small" onClick={copyMonday} disabled={f.disabled}>
          {e.hours.copy}
        </button>
      )}
    </Section>
  );
}

export function ContactSection() {
  const f = useForm();
  const { e, draft } = f;
  const set = (field: 'email' | 'phone' | 'address' | 'mapUrl', key: string) => (v: string) => f.update((d) => ({ ...d, [field]: v }), key);
  return (
    <Section id="ed-section-contact" title={e.contact.heading}>
      <div className="ed-row">
        <TextInput
          name="contact.email"
          type="email"
          inputMode="email"
          autoComplete="email"
          label={e.contact.email}
          max={254}
          value={draft.email}
          onValue={set('email', 'contact.email')}
        />
        <TextInput
          name="contact.phone"
          type="tel"
          autoComplete="tel"
          label={e.contact.phone}
          hint={e.contact.phoneHint}
          max={40}
          value={draft.phone}
          onValue={set('phone', 'contact.phone')}
        />
      </div>
      <TextArea name="contact.address" label={e.contact.address} max={300} rows={3} value={draft.address} onValue={set('address', 'contact.address')} />
      <TextInput
        name="mapUrl"
        type="url"
        inputMode="url"
        label={e.contact.mapUrl}
        hint={e.contact.mapHint}
        max={2000}
        value={draft.mapUrl}
        onValue={set('mapUrl', 'mapUrl')}
      />
    </Section>
  );
}

export function ColorsSection({ templateColors }: { templateColors: Colors | undefined }) {
  const f = useForm();
  const { e, draft } = f;
  const one = (which: 'primary' | 'accent', label: string, hint: string) => {
    const value = draft.colors[which];
    const valid = isHexColor(value);
    const swatch = valid ? value.trim().toLowerCase() : (templateColors?.[which] ?? '#000000');
    const contrast = valid ? textOn(value) : null;
    const set = (v: string) => f.update((d) => ({ ...d, colors: { ...d.colors, [which]: v } }), `colors.${which}`);
    const contrastText = contrast
      ? e.colors[contrast.level](
          contrast.text === 'white' ? e.colors.white : e.colors.dark,
          contrast.ratio.toLocaleString(f.locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }),
        )
      : null;
    return (
      <fieldset className="ed-color" key={which}>
        <legend>{label}</legend>
        <p className="field-hint">{hint}</p>
        <div className="ed-color-row">
          <input
            type="color"
            className="ed-color-picker"
            aria-label={e.colors.picker(label)}
            value={swatch}
            disabled={f.disabled}
            onChange={(ev) => set(ev.target.value)}
          />
          <TextInput
            name={`colors.${which}`}
            label={
              <>
                <span className="visually-hidden">{e.colors.codePrefix(label)}</span>
                {e.colors.codeShort}
              </>
            }
            placeholder="#rrggbb"
            spellCheck={false}
            autoComplete="off"
            value={value}
            onValue={set}
            className="ed-color-code"
          />
          {contrastText && contrast && (
            <p className={`ed-contrast ed-contrast-${contrast.level}`}>
              <span className="ed-contrast-sample" style={{ background: swatch, color: contrast.text === 'white' ? '#ffffff' : '#15181c' }} aria-hidden="true">
                Aa
              </span>
              <span>{contrastText}</span>
            </p>
          )}
        </div>
      </fieldset>
    );
  };
  return (
    <Section id="ed-section-colors" title={e.colors.heading} hint={e.colors.codeHint}>
      {one('primary', e.colors.primary, e.colors.primaryHint)}
      {one('accent', e.colors.accent, e.colors.accentHint)}
      <button
        type="button"
        className="button button-ghost button-small"
        disabled={f.disabled || !templateColors || sameColors(draft.colors, templateColors)}
        onClick={() => templateColors && f.update((d) => ({ ...d, colors: { ...templateColors } }), 'colors.primary', 'colors.accent')}
      >
        {e.colors.reset}
      </button>
    </Section>
  );
}

export function Arrow({ up }: { up?: boolean }) {
  return (
    <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
      <path
        d={up ? 'M10 15V5M5 10l5-5 5 5' : 'M10 5v10M5 10l5 5 5-5'}
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function Plus() {
  return (
    <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
      <path d="M10 4v12M4 10h12" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

/** The publisher's identity for the legal page ("mentions légales"); every field optional, the host filled in by the site. */
export function LegalSection() {
  const f = useForm();
  const { e, draft } = f;
  const l = e.legal;
  const value = (field: LegalField) => draft.legal?.[field] ?? '';
  const set = (field: LegalField) => (v: string) => f.update((d) => ({ ...d, legal: { ...d.legal, [field]: v } }), `legal.${field}`);
  return (
    <Section id="ed-section-legal" title={l.heading} hint={l.intro}>
      <TextInput
        name="legal.legalName"
        label={l.legalName}
        hint={l.legalNameHint}
        max={160}
        autoComplete="organization"
        value={value('legalName')}
        onValue={set('legalName')}
      />
      <div className="ed-row">
        <TextInput name="legal.legalForm" label={l.legalForm} hint={l.legalFormHint} max={120} value={value('legalForm')} onValue={set('legalForm')} />
        <TextInput
          name="legal.registration"
          label={l.registration}
          hint={l.registrationHint}
          max={120}
          value={value('registration')}
          onValue={set('registration')}
        />
      </div>
      <div className="ed-row">
        <TextInput name="legal.vatNumber" label={l.vatNumber} max={40} value={value('vatNumber')} onValue={set('vatNumber')} />
        <TextInput
          name="legal.publicationDirector"
          label={l.publicationDirector}
          hint={l.publicationDirectorHint}
          max={120}
          autoComplete="name"
          value={value('publicationDirector')}
          onValue={set('publicationDirector')}
        />
      </div>
      <TextArea name="legal.address" label={l.address} hint={l.addressHint} max={300} rows={3} value={value('address')} onValue={set('address')} />
    </Section>
  );
}

// What the error summary calls each field ("Service 2: Price in euros"), from the same keys the errors use.
import type { Draft } from './draft.ts';
import type { EditorTexts } from './texts.ts';

export function errorLabel(key: string, d: Draft, e: EditorTexts): string {
  const [head = '', itemKey, leaf] = key.split('.');
  // a field of its own: its label
  const single: Record<string, string> = {
    businessName: e.basics.businessName,
    tagline: e.basics.tagline,
    about: e.basics.about,
    city: e.basics.city,
    locale: e.basics.locale,
    template: e.template.legend,
    mapUrl: e.contact.mapUrl,
    logo: e.images.logo,
  };
  if (single[head]) return single[head];
  switch (head) {
    case 'contact':
      return itemKey === 'phone' ? e.contact.phone : itemKey === 'address' ? e.contact.address : e.contact.email;
    case 'colors':
      return e.colors.code(itemKey === 'accent' ? e.colors.accent : e.colors.primary);
    case 'legal':
      return `${e.legal.heading} – ${e.legal[(itemKey ?? 'legalName') as 'legalName']}`;
    case 'services': {
      if (!itemKey) return e.services.heading;
      const i = d.services.findIndex((s) => s.key === itemKey);
      const field = leaf === 'price' ? e.services.price : leaf === 'description' ? e.services.description : e.services.name;
      return `${e.services.item(i + 1)} – ${field}`;
    }
    case 'hours': {
      if (!itemKey) return e.hours.heading;
      const slot = d.hours.find((h) => h.key === itemKey);
      if (!slot) return e.hours.heading;
      const n = d.hours.filter((h) => h.day === slot.day).indexOf(slot) + 1;
      return `${e.hours.slotLabel(e.hours.days[slot.day], n)} – ${leaf === 'opens' ? e.hours.opens : e.hours.closes}`;
    }
    case 'pictures': {
      if (!itemKey) return e.images.pictures;
      const i = d.pictures.findIndex((p) => p.key === itemKey);
      return e.images.pictureAlt(i + 1);
    }
    default:
      return e.title;
  }
}

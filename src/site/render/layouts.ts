// Each template as an arrangement of the same blocks: which sections, in which order, what the hero shows, fonts and radii.
import type { SiteTemplate } from '../document.ts';

export type SectionId = 'about' | 'services' | 'hours' | 'contact';
export type HeroAction = 'contact' | 'findUs' | 'services' | 'menu' | 'hours' | 'call' | 'phone';

export interface TemplateLayout {
  /** sections after the hero, top to bottom */
  sections: ('about' | 'services' | 'contact')[];
  /** where the week's opening hours go: beside the hero (restaurants: "are they open?") or with the contact details */
  hoursIn: 'hero' | 'contact';
  /** what stands beside the name in the hero, besides the hours */
  heroAside: 'none' | 'quote';
  /** the hero's buttons in order of preference; the first two the content allows are shown */
  heroActions: HeroAction[];
  heroAlign: 'center' | 'start';
  services: 'cards' | 'menu' | 'numbered';
  /** a call to action for a quote right after the services */
  quoteBand: boolean;
  /** a craftsman's unpriced service is priced on quote; a shop's simply has no price shown */
  unpricedOnQuote: boolean;
  font: 'sans' | 'serif';
  radius: number;
  /** the page background; sections alternate between it and white */
  background: string;
  schemaType: string;
}

export const LAYOUTS: Record<SiteTemplate, TemplateLayout> = {
  // A shop window: a welcoming centred hero, who we are, what we offer, how to reach us.
  vitrine: {
    sections: ['about', 'services', 'contact'],
    hoursIn: 'contact',
    heroAside: 'none',
    heroActions: ['contact', 'services', 'hours'],
    heroAlign: 'center',
    services: 'cards',
    quoteBand: false,
    unpricedOnQuote: false,
    font: 'sans',
    radius: 14,
    background: '#f6f7f9',
    schemaType: 'LocalBusiness',
  },
  // Menu and opening hours first: they are what people look up before they come.
  restaurant: {
    sections: ['services', 'about', 'contact'],
    hoursIn: 'hero',
    heroAside: 'none',
    heroActions: ['menu', 'call', 'findUs'],
    heroAlign: 'start',
    services: 'menu',
    quoteBand: false,
    unpricedOnQuote: false,
    font: 'serif',
    radius: 8,
    background: '#faf6ef',
    schemaType: 'FoodEstablishment',
  },
  // Services and the quote request first: a craftsman's visitor has a job to get done.
  artisan: {
    sections: ['services', 'about', 'contact'],
    hoursIn: 'contact',
    heroAside: 'quote',
    heroActions: ['phone', 'services', 'contact'],
    heroAlign: 'start',
    services: 'numbered',
    quoteBand: true,
    unpricedOnQuote: true,
    font: 'sans',
    radius: 6,
    background: '#f4f4f1',
    schemaType: 'HomeAndConstructionBusiness',
  },
};

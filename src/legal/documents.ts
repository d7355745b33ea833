// The legal documents' shape and their versions: a version is a date and a text per language, made from the seller's
// identity and the settings it quotes. A new version is a new entry; an old one is never edited (what a customer
// accepted stays what legal_texts kept of it).
import type { Locale } from '../domain/locale.ts';
import type { Host, Mediator, Seller } from './seller.ts';

export const LEGAL_KINDS = ['terms', 'privacy'] as const;
export type LegalKind = (typeof LEGAL_KINDS)[number];

export interface LegalSection {
  heading: string;
  paragraphs: string[];
}

export interface LegalDocument {
  kind: LegalKind;
  version: string;
  locale: Locale;
  title: string;
  sections: LegalSection[];
}

/** What a document's text is made from besides its words. */
export interface LegalContext {
  seller: Seller;
  /** the consumer mediator the terms name */
  mediator: Mediator;
  /** the site's host the legal notice names */
  host: Host;
  supportEmail: string;
  publicUrl: string;
  unpaidRetentionDays: number;
}

export interface LegalVersion {
  /** its id: the day it took effect */
  version: string;
  write(locale: Locale, ctx: LegalContext): { title: string; sections: LegalSection[] };
}

/** The address of a document's page in a language (the French and English pages are each other's translation). */
export function legalPath(kind: LegalKind | 'notice', locale: Locale): string {
  const paths = {
    terms: { fr: '/conditions-generales', en: '/terms' },
    privacy: { fr: '/confidentialite', en: '/privacy' },
    notice: { fr: '/mentions-legales', en: '/legal-notice' },
  } as const;
  return paths[kind][locale];
}

// One way to declare a customer email: its copy in French and English, and what it shows of its view. The layout
// (layout.ts) adds the brand, the footer and both renderings, HTML and plain text.
import type { Locale } from '../domain/locale.ts';
import { renderEmail, type Block, type Inline, type RenderedEmail } from './layout.ts';

/** What every customer email is about: whose site, at which name, and who answers their questions. */
export interface CustomerView {
  businessName: string;
  domain: string;
  supportEmail: string;
  /** our address: the footer links our terms, privacy policy and legal notice */
  publicUrl?: string;
  /** what the email is about when an order has several of them (an invoice's number): its subject names it */
  ref?: string;
}

/** What an email says; the greeting in its language comes first by itself. */
export interface EmailContent {
  subject: string;
  /** the line mail clients show after the subject in the inbox */
  preheader?: string;
  blocks: Block[];
}

/** Every email's copy has its subject, about the view's domain, and its preheader, fixed or made from a value. */
interface EmailCopy {
  subject: string | ((domain: string, ref: string) => string);
  preheader: string | ((value: string) => string);
}

/** What a composition gives: its blocks, and the preheader when the copy's needs a value. */
type Composed<Copy> = { blocks: Block[] } & (Copy extends { preheader: string } ? { preheader?: undefined } : { preheader: string });

const greeting: Record<Locale, string> = { fr: 'Bonjour,', en: 'Hello,' };
const visit: Record<Locale, string> = { fr: 'Voir mon site', en: 'Visit my site' };

/**
 * An email from its copy and its composition. The English copy must have the French copy's shape (`NoInfer`: the
 * French one alone decides it), so a sentence missing from one language fails to compile.
 */
export function defineEmail<Copy extends EmailCopy, View extends CustomerView>(
  copy: { fr: Copy; en: NoInfer<Copy> },
  compose: (c: Copy, view: View, locale: Locale) => Composed<Copy>,
): (view: View, locale: Locale) => RenderedEmail {
  return (view, locale) => {
    const c = copy[locale];
    const { blocks, preheader } = compose(c, view, locale);
    return renderEmail({
      locale,
      subject: typeof c.subject === 'string' ? c.subject : c.subject(view.domain, view.ref ?? ''),
      preheader: preheader ?? (c.preheader as string),
      supportEmail: view.supportEmail,
      publicUrl: view.publicUrl,
      blocks: [paragraph(greeting[locale]), ...blocks],
    });
  };
}

/** An email to the operators: in English, with no greeting. */
export function operatorEmail(supportEmail: string, { subject, preheader, blocks }: EmailContent): RenderedEmail {
  return renderEmail({ locale: 'en', subject, preheader, supportEmail, blocks });
}

// ---------- blocks ----------

export const paragraph = (...text: Inline[]): Block => ({ type: 'paragraph', text });
export const callout = (...text: Inline[]): Block => ({ type: 'callout', text });
export const button = (label: string, href: string): Block => ({ type: 'button', label, href });
export const table = (rows: [label: string, value: string][], total?: [label: string, value: string]): Block =>
  total ? { type: 'table', rows, total } : { type: 'table', rows };
/** A table whose labels are copy and whose values come from the view, row by row. */
export const labelled = (labels: readonly string[], values: readonly string[]): Block => table(labels.map((label, i) => [label, values[i]!]));
export const strong = (text: string): Inline => ({ strong: text });
export const link = (label: string, href: string): Inline => ({ link: label, href });
export const mailto = (address: string): Inline => ({ link: address, href: `mailto:${address}` });

/** A sentence written around what it names: ['Hello ', ' and ', '.'] with A and B reads "Hello A and B.". */
export function weave(parts: readonly string[], ...named: Inline[]): Inline[] {
  return parts.flatMap((part, i): Inline[] => (i < named.length ? [part, named[i]!] : [part]));
}

/** "…the website of <business> … at <https://domain/>." with the address as a link. */
export const aboutSite = (sentence: readonly string[], view: { businessName: string; siteUrl: string }): Block =>
  paragraph(...weave(sentence, strong(view.businessName), link(view.siteUrl, view.siteUrl)));

/** The button to the customer's live site. */
export const visitButton = (locale: Locale, siteUrl: string): Block => button(visit[locale], siteUrl);

/** A sentence whose middle part is a link: [before, label, after]. */
export const linked = ([before, label, after]: readonly string[], href: string): Inline[] => [before!, link(label!, href), after!];

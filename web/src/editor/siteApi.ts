// The site-content API as the editor sees it (GET/PUT the document, preview, pictures, publish): each call typed by its route (src/contract).
import type { Asset, LegalField, SiteContent, SiteTemplate, Weekday } from '@contract/site.ts';
import { type Covers, call, send } from '../api.ts';
import type { Locale } from '../i18n.ts';

export type { Asset, Colors, LegalField, SiteContent, SiteLimits as Limits, SiteSaved as Saved, SiteState, Weekday } from '@contract/site.ts';
export type TemplateId = SiteTemplate;

/** Monday first, as the document's schema lists them (src/site/document.ts); every day once. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const satisfies readonly Weekday[];
/** The legal notice's fields, in the order the editor shows them; every field of the schema once. */
export const LEGAL_FIELDS = ['legalName', 'legalForm', 'registration', 'vatNumber', 'address', 'publicationDirector'] as const satisfies readonly LegalField[];
true satisfies Covers<typeof WEEKDAYS, Weekday>;
true satisfies Covers<typeof LEGAL_FIELDS, LegalField>;

const site = (token: string) => ({ params: { token } });

export const siteApi = {
  load: (token: string, lang: Locale) => call('GET /api/sites/:token', { ...site(token), lang }),
  save: (token: string, version: number, document: SiteContent, lang: Locale, opts: { keepalive?: boolean } = {}) =>
    call('PUT /api/sites/:token', { ...site(token), body: { version, document }, lang, keepalive: opts.keepalive }),
  /** the unsaved document rendered by the real renderer (text/html) */
  preview: (token: string, document: SiteContent, lang: Locale, signal: AbortSignal) =>
    send('POST /api/sites/:token/preview', { ...site(token), body: { document }, lang, signal, accept: 'text/html' }),
  /** the picture's bytes as the raw body: the server types it from its content, whatever the name says */
  upload: async (token: string, kind: Asset['kind'], file: File, lang: Locale) => {
    // the name is for display only; the API refuses control characters in it
    const filename = file.name
      .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '')
      .slice(0, 200)
      .trim();
    return call('POST /api/sites/:token/assets', { ...site(token), query: { kind, lang, filename: filename || undefined }, raw: file });
  },
  deleteAsset: (token: string, id: string, lang: Locale) => call('DELETE /api/sites/:token/assets/:id', { params: { token, id }, lang }),
  publish: (token: string, lang: Locale) => call('POST /api/sites/:token/publish', { ...site(token), lang }),
};

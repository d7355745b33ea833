// The site-content API as the editor sees it (GET/PUT the document, preview, pictures, publish): its shapes and typed calls.
import { ApiError, NetworkError, call } from '../api.ts';
import type { Locale } from '../i18n.ts';

export type TemplateId = 'vitrine' | 'restaurant' | 'artisan';
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The legal notice's fields (src/site/document.ts, legalSchema). */
export const LEGAL_FIELDS = ['legalName', 'legalForm', 'registration', 'vatNumber', 'address', 'publicationDirector'] as const;
export type LegalField = (typeof LEGAL_FIELDS)[number];

export interface Colors {
  primary: string;
  accent: string;
}

/** The document as the API stores it (src/site/document.ts + logo and pictures from src/site/store.ts). */
export interface SiteContent {
  template: TemplateId;
  locale: Locale;
  businessName: string;
  tagline?: string;
  about?: string;
  city?: string;
  services?: { name: string; description?: string; priceCents?: number }[];
  openingHours?: { day: Weekday; opens: string; closes: string }[];
  contact: { email?: string; phone?: string; address?: string };
  mapUrl?: string;
  colors: Colors;
  legal?: Partial<Record<LegalField, string>>;
  logoAssetId?: string;
  pictures?: { assetId: string; alt?: string }[];
}

export interface Asset {
  id: string;
  kind: 'logo' | 'picture';
  contentType: string;
  size: number;
  width: number;
  height: number;
  name: string | null;
  createdAt: string;
  url: string;
}

export interface Limits {
  imageMaxBytes: number;
  imageMaxDimension: number;
  imageTypes: string[];
  maxPictures: number;
  maxAssets: number;
  archiveMaxMb: number;
  archiveMaxFiles: number;
}

export interface SiteState {
  document: SiteContent;
  version: number;
  updatedAt: string;
  publishedVersion: number | null;
  publishedAt: string | null;
  orderState: string;
  canPublish: boolean;
  editable: boolean;
  domain: string;
  siteUrl: string | null;
  previewUrl: string;
  templates: { id: TemplateId; colors: Colors }[];
  assets: Asset[];
  archive: { files: number; size: number; contentBytes: number; uploadedAt: string } | null;
  /** an archive may still be uploaded or removed (before the deploy step) */
  archiveAllowed: boolean;
  limits: Limits;
}

export interface Saved {
  version: number;
  updatedAt: string;
  document: SiteContent;
}

const base = (token: string) => `/api/sites/${encodeURIComponent(token)}`;

export const siteApi = {
  load: (token: string, lang: Locale) => call<SiteState>(`${base(token)}?lang=${lang}`),
  save: (token: string, version: number, document: SiteContent, lang: Locale) =>
    call<Saved>(`${base(token)}?lang=${lang}`, { method: 'PUT', body: { version, document } }),
  /** the unsaved document rendered by the real renderer (text/html) */
  preview: async (token: string, document: SiteContent, lang: Locale, signal: AbortSignal): Promise<string> => {
    let res: Response;
    try {
      res = await fetch(`${base(token)}/preview?lang=${lang}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/html' },
        body: JSON.stringify({ document }),
        signal,
        credentials: 'same-origin',
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new NetworkError((err as Error).message);
    }
    const text = await res.text();
    if (!res.ok) {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // not JSON: the status says enough
      }
      throw new ApiError(res.status, String(body.code ?? `http_${res.status}`), String(body.message ?? res.statusText), body);
    }
    return text;
  },
  /** the picture's bytes as the raw body: the server types it from its content, whatever the name says */
  upload: async (token: string, kind: 'logo' | 'picture', file: File, lang: Locale): Promise<Asset> => {
    const q = new URLSearchParams({ kind, lang });
    // the name is for display only; the API refuses control characters in it
    const name = file.name
      .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '')
      .slice(0, 200)
      .trim();
    if (name) q.set('filename', name);
    let res: Response;
    try {
      res = await fetch(`${base(token)}/assets?${q}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', accept: 'application/json' },
        body: file,
        credentials: 'same-origin',
      });
    } catch (err) {
      throw new NetworkError((err as Error).message);
    }
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    if (!res.ok) throw new ApiError(res.status, String(body.code ?? `http_${res.status}`), String(body.message ?? res.statusText), body);
    return body as unknown as Asset;
  },
  deleteAsset: (token: string, id: string, lang: Locale) => call<void>(`${base(token)}/assets/${encodeURIComponent(id)}?lang=${lang}`, { method: 'DELETE' }),
  publish: (token: string, lang: Locale) => call<{ version: number; state: 'queued' }>(`${base(token)}/publish?lang=${lang}`, { method: 'POST', body: {} }),
};

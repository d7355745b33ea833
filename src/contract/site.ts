// What the site editor's API takes and answers: the document with its pictures, the site's state, pictures, publishing, the archive uploaded at order time.
import { z } from 'zod';
import { SITE_TEMPLATES, siteDocumentSchema } from '../site/document.ts';
import { instant } from './common.ts';
import { archiveSummary } from './orders.ts';
import { ORDER_STATES } from '../domain/order-state.ts';

export type { SiteTemplate, Weekday } from '../site/document.ts';
/** The legal notice's fields. */
export type LegalField = keyof NonNullable<SiteContent['legal']>;

/** Pictures one site may show in its gallery. */
export const MAX_PICTURES = 12;

const altText = z
  .string()
  .trim()
  .max(160)
  .regex(/^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u, 'no control characters');

/**
 * What the editor edits: the site document (src/site/document.ts) plus the pictures it shows,
 * referenced by asset id (POST /api/sites/{token}/assets answers the id).
 */
export const siteContent = siteDocumentSchema.extend({
  logoAssetId: z.uuid().optional(),
  pictures: z
    .array(z.strictObject({ assetId: z.uuid(), alt: altText.optional() }))
    .max(MAX_PICTURES)
    .optional(),
});
export type SiteContent = z.infer<typeof siteContent>;

export const ASSET_KINDS = ['logo', 'picture'] as const;

export const asset = z.object({
  id: z.string(),
  kind: z.enum(ASSET_KINDS),
  contentType: z.string(),
  size: z.number().int().describe('of the stored picture, resized and recompressed'),
  originalSize: z.number().int().nullable().describe('of the upload; null for assets kept before pictures were recompressed'),
  width: z.number().int(),
  height: z.number().int(),
  name: z.string().nullable(),
  createdAt: instant,
  url: z.string().describe('where its bytes are (GET)'),
});

const colors = z.object({ primary: z.string(), accent: z.string() });

export const siteState = z.object({
  document: siteContent,
  version: z.number().int(),
  updatedAt: instant,
  publishedVersion: z.number().int().nullable(),
  publishedAt: instant.nullable(),
  orderState: z.enum(ORDER_STATES),
  canPublish: z.boolean().describe('POST …/publish is possible (the site is delivered)'),
  editable: z.boolean(),
  domain: z.string(),
  siteUrl: z.string().nullable(),
  previewUrl: z.string(),
  templates: z.array(z.object({ id: z.enum(SITE_TEMPLATES), colors })),
  assets: z.array(asset),
  archive: archiveSummary.nullable(),
  archiveAllowed: z.boolean().describe('an archive may still be uploaded or removed (before the deploy step)'),
  limits: z.object({
    imageMaxBytes: z.number(),
    imageMaxDimension: z.number(),
    imageTypes: z.array(z.string()),
    maxPictures: z.number(),
    maxAssets: z.number(),
    archiveMaxMb: z.number(),
    archiveMaxFiles: z.number(),
  }),
});

export const siteSave = z.strictObject({
  version: z.number().int().min(1).describe('the version the edit started from (GET answers it); a stale one is refused with 409'),
  document: siteContent,
});
export const sitePreview = z.strictObject({ document: siteContent });

export const siteSaved = z.object({ version: z.number().int(), updatedAt: instant, document: siteContent });

export const publishQueued = z.object({ version: z.number().int(), state: z.literal('queued') });

export const assetUploadQuery = z.object({
  kind: z.enum(ASSET_KINDS).default('picture'),
  filename: z
    .string()
    .trim()
    .max(200)
    .regex(/^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u)
    .optional()
    .describe('the file’s name, for display only'),
  lang: z.enum(['fr', 'en']).optional(),
});

export const assetParams = z.object({ token: z.string().min(1).max(100), id: z.uuid() });

export const archiveUploaded = archiveSummary.extend({
  root: z.string().describe('the folder that held index.html in the ZIP (removed from every path)'),
  paths: z.array(z.string()).describe('the site’s files, sorted (the first 200)'),
});

// ---------- as the web receives them ----------

export type Asset = z.input<typeof asset>;
export type Colors = z.input<typeof colors>;
export type SiteState = z.input<typeof siteState>;
export type SiteLimits = SiteState['limits'];
export type SiteSaved = z.input<typeof siteSaved>;
export type ArchiveUploaded = z.input<typeof archiveUploaded>;

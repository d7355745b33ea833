// Where a customer's site content lives: the editor's document (versioned), its pictures, an uploaded archive, and the files a deploy sends.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database, Tx } from '../db/database.ts';
import type { Order } from '../db/schema.ts';
import { defaultSiteDocument, siteDocumentSchema, type SiteDocument } from './document.ts';
import { renderSiteFiles, siteMarker, type SiteImage, type SiteImages } from './render.ts';
import { IMAGE_EXTENSIONS, type ImageType, type PreparedImage } from './images.ts';
import type { CheckedArchive } from './archive.ts';

/** Pictures one site may show in its gallery. */
export const MAX_PICTURES = 12;
/** Assets one order may keep (uploaded and not deleted): a bound on what one tracking token can store. */
export const MAX_ASSETS = 60;

const altText = z
  .string()
  .trim()
  .max(160)
  .regex(/^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u, 'no control characters');

/**
 * What the editor edits: the site document (src/site/document.ts) plus the pictures it shows,
 * referenced by asset id (POST /api/sites/{token}/assets answers the id).
 */
export const siteContentSchema = siteDocumentSchema.extend({
  logoAssetId: z.uuid().optional(),
  pictures: z
    .array(z.strictObject({ assetId: z.uuid(), alt: altText.optional() }))
    .max(MAX_PICTURES)
    .optional(),
});
export type SiteContent = z.infer<typeof siteContentSchema>;

export interface StoredSite {
  content: SiteContent;
  version: number;
  updatedAt: Date;
  publishedVersion: number | null;
  publishedAt: Date | null;
}

type Reader = Database | Tx;

/** The order's document; the first read writes the default one (version 1), made from the order alone. */
export async function loadSite(db: Reader, order: Order): Promise<StoredSite> {
  const saved = await savedSite(db, order);
  if (saved) return saved;
  await db
    .insertInto('site_documents')
    .values({ order_id: order.id, document: JSON.stringify(defaultContent(order)) })
    .onConflict((oc) => oc.column('order_id').doNothing())
    .execute();
  return (await savedSite(db, order))!;
}

/** The order's document when one was written, without writing the default one (a request that is refused stores nothing). */
export async function savedSite(db: Reader, order: Order): Promise<StoredSite | undefined> {
  const row = await db.selectFrom('site_documents').selectAll().where('order_id', '=', order.id).executeTakeFirst();
  if (!row) return undefined;
  // A document saved under an older schema still loads: what no longer validates falls back to the default's fields.
  const parsed = siteContentSchema.safeParse(row.document);
  const content = parsed.success ? parsed.data : { ...defaultContent(order), ...(row.document as Partial<SiteContent>) };
  return {
    content: content as SiteContent,
    version: row.version,
    updatedAt: row.updated_at,
    publishedVersion: row.published_version,
    publishedAt: row.published_at,
  };
}

export function defaultContent(order: Order): SiteContent {
  return defaultSiteDocument({
    businessName: order.business_name,
    city: order.city,
    email: order.email,
    locale: order.locale,
    domain: order.domain_unicode,
  });
}

/**
 * Save `content` over version `expected`. Optimistic concurrency: when someone saved since
 * (another tab, another device), nothing is written and the current version is answered.
 */
export async function saveSite(
  db: Database,
  order: Order,
  expected: number,
  content: SiteContent,
): Promise<{ saved: true; version: number; updatedAt: Date } | { saved: false; currentVersion: number }> {
  // a stale version is refused before anything is written: a refused save stores nothing, not even the default document
  const saved = await savedSite(db, order);
  if (!saved && expected !== 1) return { saved: false, currentVersion: 1 };
  if (!saved) await loadSite(db, order); // the row exists from here on
  const row = await db
    .updateTable('site_documents')
    .set({ document: JSON.stringify(content), version: sql`version + 1`, updated_at: new Date() })
    .where('order_id', '=', order.id)
    .where('version', '=', expected)
    .returning(['version', 'updated_at'])
    .executeTakeFirst();
  if (row) return { saved: true, version: row.version, updatedAt: row.updated_at };
  const current = await db.selectFrom('site_documents').select('version').where('order_id', '=', order.id).executeTakeFirstOrThrow();
  return { saved: false, currentVersion: current.version };
}

/** Record that the live site now shows `version` (never moves backwards). */
export async function markPublished(tx: Reader, orderId: string, version: number, at = new Date()): Promise<void> {
  await tx
    .updateTable('site_documents')
    .set({ published_version: version, published_at: at })
    .where('order_id', '=', orderId)
    .where((eb) => eb.or([eb('published_version', 'is', null), eb('published_version', '<=', version)]))
    .execute();
}

// ---------- Assets ----------

export interface AssetView {
  id: string;
  kind: 'logo' | 'picture';
  contentType: ImageType;
  /** of the stored picture, resized and recompressed */
  size: number;
  /** of the upload; null for assets kept before pictures were recompressed */
  originalSize: number | null;
  width: number;
  height: number;
  name: string | null;
  createdAt: string;
}

const assetColumns = ['id', 'kind', 'content_type', 'size', 'original_size', 'width', 'height', 'name', 'sha256', 'created_at'] as const;

function assetView(r: {
  id: string;
  kind: 'logo' | 'picture';
  content_type: ImageType;
  size: number;
  original_size: number | null;
  width: number;
  height: number;
  name: string | null;
  created_at: Date;
}): AssetView {
  return {
    id: r.id,
    kind: r.kind,
    contentType: r.content_type,
    size: r.size,
    originalSize: r.original_size,
    width: r.width,
    height: r.height,
    name: r.name,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * Keep a picture made ready for the web (prepareImage), with its narrower copies. Preparing is
 * deterministic, so the same upload again answers the asset already kept.
 */
export async function addAsset(
  db: Database,
  orderId: string,
  input: { kind: 'logo' | 'picture'; image: PreparedImage; name?: string },
): Promise<{ asset: AssetView; created: boolean } | { limitReached: true }> {
  const { image } = input;
  const sha256 = crypto.createHash('sha256').update(image.bytes).digest('hex');
  const existing = await db.selectFrom('site_assets').select(assetColumns).where('order_id', '=', orderId).where('sha256', '=', sha256).executeTakeFirst();
  if (existing) return { asset: assetView(existing), created: false };
  const { count } = await db
    .selectFrom('site_assets')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
  if (Number(count) >= MAX_ASSETS) return { limitReached: true };
  const row = await db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('site_assets')
      .values({
        id: crypto.randomUUID(),
        order_id: orderId,
        kind: input.kind,
        content_type: image.contentType,
        bytes: image.bytes,
        size: image.bytes.length,
        original_size: image.originalSize,
        width: image.width,
        height: image.height,
        sha256,
        name: input.name ?? null,
      })
      .onConflict((oc) => oc.columns(['order_id', 'sha256']).doNothing())
      .returning(assetColumns)
      .executeTakeFirst();
    if (inserted && image.variants.length) {
      await tx
        .insertInto('site_asset_variants')
        .values(image.variants.map((v) => ({ asset_id: inserted.id, width: v.width, height: v.height, bytes: v.bytes })))
        .execute();
    }
    return inserted;
  });
  if (row) return { asset: assetView(row), created: true };
  // the same bytes arrived twice at once: the other upload won
  const won = await db.selectFrom('site_assets').select(assetColumns).where('order_id', '=', orderId).where('sha256', '=', sha256).executeTakeFirstOrThrow();
  return { asset: assetView(won), created: false };
}

export async function listAssets(db: Reader, orderId: string): Promise<AssetView[]> {
  const rows = await db.selectFrom('site_assets').select(assetColumns).where('order_id', '=', orderId).orderBy('created_at').orderBy('id').execute();
  return rows.map(assetView);
}

export async function assetBytes(db: Reader, orderId: string, id: string) {
  return db.selectFrom('site_assets').select(['content_type', 'bytes', 'sha256']).where('order_id', '=', orderId).where('id', '=', id).executeTakeFirst();
}

export async function deleteAsset(db: Database, orderId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('site_assets').where('order_id', '=', orderId).where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Asset ids the content refers to. */
export function referencedAssets(content: SiteContent): string[] {
  return [...new Set([content.logoAssetId, ...(content.pictures ?? []).map((p) => p.assetId)].filter((id): id is string => !!id))];
}

/**
 * The content's pictures as the renderer takes them: bytes, dimensions, narrower copies, and file
 * names that carry the content's hash (a copy's name adds its width). `src` (the editor's preview)
 * says where the page loads them from instead.
 */
export async function siteImagesFor(
  db: Reader,
  orderId: string,
  content: SiteContent,
  opts: { withBytes: boolean; src?: (assetId: string) => string },
): Promise<SiteImages | undefined> {
  const ids = referencedAssets(content);
  if (ids.length === 0) return undefined;
  const rows = await db
    .selectFrom('site_assets')
    .select(['id', 'content_type', 'width', 'height', 'sha256', ...(opts.withBytes ? (['bytes'] as const) : [])])
    .where('order_id', '=', orderId)
    .where('id', 'in', ids)
    .execute();
  const variantRows = rows.length
    ? await db
        .selectFrom('site_asset_variants')
        .select(['asset_id', 'width', ...(opts.withBytes ? (['bytes'] as const) : [])])
        .where(
          'asset_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('asset_id')
        .orderBy('width')
        .execute()
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const image = (id: string | undefined, use: 'logo' | 'picture', alt?: string): SiteImage | undefined => {
    const r = id ? byId.get(id) : undefined;
    if (!r) return undefined; // deleted since: the site simply goes without it
    const name = `/assets/${use}-${r.sha256.slice(0, 16)}`;
    const ext = IMAGE_EXTENSIONS[r.content_type];
    const variants = variantRows
      .filter((v) => v.asset_id === r.id)
      .map((v) => ({ path: `${name}-${v.width}.${ext}`, width: v.width, content: opts.withBytes ? (v as { bytes?: Buffer }).bytes : undefined }));
    return {
      path: `${name}.${ext}`,
      content: opts.withBytes ? (r as { bytes?: Buffer }).bytes : undefined,
      width: r.width,
      height: r.height,
      alt,
      src: opts.src?.(r.id),
      ...(variants.length ? { variants } : {}),
    };
  };
  const logo = image(content.logoAssetId, 'logo');
  const pictures = (content.pictures ?? []).map((p) => image(p.assetId, 'picture', p.alt)).filter((i): i is SiteImage => !!i);
  return { ...(logo ? { logo } : {}), ...(pictures.length ? { pictures } : {}) };
}

/** The document part of the content, as the renderer reads it. */
export function documentOf(content: SiteContent): SiteDocument {
  const { logoAssetId: _logo, pictures: _pictures, ...doc } = content;
  return doc;
}

// ---------- Archives ----------

export interface ArchiveView {
  files: number;
  size: number;
  contentBytes: number;
  uploadedAt: string;
}

export async function archiveOf(db: Reader, orderId: string): Promise<ArchiveView | null> {
  const row = await db.selectFrom('site_archives').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  return row ? { files: row.files, size: Number(row.size), contentBytes: Number(row.content_bytes), uploadedAt: row.uploaded_at.toISOString() } : null;
}

/** Replace the order's archive with a checked one, inside the caller's transaction. */
export async function saveArchive(tx: Tx, orderId: string, zip: Buffer, checked: CheckedArchive): Promise<ArchiveView> {
  await tx.deleteFrom('site_archives').where('order_id', '=', orderId).execute();
  const row = await tx
    .insertInto('site_archives')
    .values({
      order_id: orderId,
      sha256: crypto.createHash('sha256').update(zip).digest('hex'),
      size: zip.length,
      files: checked.files.size,
      content_bytes: checked.contentBytes,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const rows = [...checked.files].map(([path, content]) => ({ order_id: orderId, path, content }));
  // in batches: one statement's parameters are limited (65,535)
  for (let i = 0; i < rows.length; i += 200)
    await tx
      .insertInto('site_archive_files')
      .values(rows.slice(i, i + 200))
      .execute();
  return { files: row.files, size: Number(row.size), contentBytes: Number(row.content_bytes), uploadedAt: row.uploaded_at.toISOString() };
}

export async function deleteArchive(tx: Reader, orderId: string): Promise<void> {
  await tx.deleteFrom('site_archives').where('order_id', '=', orderId).execute();
}

// ---------- What a deploy sends ----------

export type SiteFiles = { source: 'archive'; files: Map<string, Buffer> } | { source: 'document'; version: number; files: Map<string, Buffer> };

/** The files the site is made of now: the uploaded archive's when there is one, else the editor's document rendered. */
export async function siteFiles(db: Database, order: Order, opts: { preferDocument?: boolean } = {}): Promise<SiteFiles> {
  if (!opts.preferDocument) {
    const archive = await db.selectFrom('site_archives').select('order_id').where('order_id', '=', order.id).executeTakeFirst();
    if (archive) {
      const rows = await db.selectFrom('site_archive_files').select(['path', 'content']).where('order_id', '=', order.id).orderBy('path').execute();
      const files = new Map(rows.map((r) => [r.path, r.content]));
      files.set('/index.html', withMarker(files.get('/index.html') ?? Buffer.alloc(0), order.domain));
      return { source: 'archive', files };
    }
  }
  const site = await loadSite(db, order);
  const images = await siteImagesFor(db, order.id, site.content, { withBytes: true });
  const files = await renderSiteFiles(documentOf(site.content), { domain: order.domain, images, version: site.version });
  return { source: 'document', version: site.version, files };
}

/**
 * The verifier recognises our deploy by the marker in the home page (src/site/render.ts); an
 * uploaded page gets it as a trailing HTML comment, which changes nothing a visitor sees.
 */
function withMarker(indexHtml: Buffer, domain: string): Buffer {
  const marker = siteMarker(domain);
  if (indexHtml.includes(marker)) return indexHtml;
  const newline = indexHtml.length && indexHtml[indexHtml.length - 1] !== 0x0a ? '\n' : '';
  return Buffer.concat([indexHtml, Buffer.from(`${newline}<!-- ${marker} -->\n`, 'utf8')]);
}

// Site content API: the editor's document (GET/PUT, versioned), pictures, preview, publish; and the static-site archive uploaded at order time.
import type { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { addEvent, findOrderByToken, lockOrder } from '../../db/orders.ts';
import type { Order } from '../../db/schema.ts';
import { SITE_TEMPLATES, TEMPLATE_COLORS } from '../../site/document.ts';
import { renderSite } from '../../site/render.ts';
import { ArchiveError, checkArchive } from '../../site/archive.ts';
import { IMAGE_TYPES, ImageError, checkImage, prepareImage } from '../../site/images.ts';
import {
  MAX_ASSETS,
  addAsset,
  archiveOf,
  assetBytes,
  deleteArchive,
  deleteAsset,
  documentOf,
  listAssets,
  loadSite,
  referencedAssets,
  saveArchive,
  saveSite,
  savedSite,
  siteImagesFor,
  type SiteContent,
} from '../../site/store.ts';
import { archiveAllowed, CONTENT_CLOSED } from '../../workflow/status.ts';
import { requestPublish } from '../../workflow/publish-site.ts';
import { errorMessage } from '../error-messages.ts';
import { parseOrThrow, validationError } from '../field-problems.ts';
import type { Locale } from '../../domain/locale.ts';
import { isTrackingToken } from '../../domain/order-state.ts';
import { limited, perMinute } from '../rate-limits.ts';
import { routes } from '../../contract/index.ts';
import type { FieldProblem } from '../../contract/common.ts';
import { MAX_PICTURES, sitePreview, siteSave } from '../../contract/site.ts';

/** A full document (60 services with descriptions, long about text, accents in UTF-8) is over the API's 64 KiB default. */
const DOCUMENT_BODY_LIMIT = 256 * 1024;
const CLOSED = CONTENT_CLOSED;

export const siteRoutes: FastifyPluginAsync<{ deps: Deps }> = async (fastify, { deps }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = deps;

  // Pictures and archives come as raw bodies; the stream is read by the route, with its own limit
  // and its own error code (scoped to this plugin: the rest of the API keeps JSON only).
  // A browser sends a file as text/plain when its name says .txt: that one too is only bytes here.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

  const load = async (token: string): Promise<Order> => {
    const order = isTrackingToken(token) ? await findOrderByToken(db, token) : undefined;
    if (!order) throw new AppError('order_not_found', 404);
    return order;
  };
  const editable = (order: Order) => {
    if (CLOSED.includes(order.state)) throw new AppError('site_not_editable', 409);
  };
  const assetUrl = (token: string, id: string) => `/api/sites/${token}/assets/${id}`;

  app.get('/api/sites/:token', limited(config, 'GET /api/sites/:token', 'site_read'), async (req) => {
    const order = await load(req.params.token);
    const [site, assets, archive] = await Promise.all([loadSite(db, order), listAssets(db, order.id), archiveOf(db, order.id)]);
    return {
      document: site.content,
      version: site.version,
      updatedAt: site.updatedAt.toISOString(),
      publishedVersion: site.publishedVersion,
      publishedAt: site.publishedAt?.toISOString() ?? null,
      orderState: order.state,
      /** POST …/publish is possible (the site is delivered) */
      canPublish: order.state === 'delivered' && !!order.site_id,
      editable: !CLOSED.includes(order.state),
      domain: order.domain_unicode,
      siteUrl: order.state === 'delivered' ? `https://${order.domain_unicode}/` : null,
      previewUrl: `/api/sites/${req.params.token}/preview`,
      templates: SITE_TEMPLATES.map((id) => ({ id, colors: TEMPLATE_COLORS[id] })),
      assets: assets.map((a) => ({ ...a, url: assetUrl(req.params.token, a.id) })),
      archive,
      /** an archive may still be uploaded or removed (before the deploy step) */
      archiveAllowed: archiveAllowed(order),
      limits: {
        imageMaxBytes: config.IMAGE_MAX_BYTES,
        imageMaxDimension: config.IMAGE_MAX_DIMENSION,
        imageTypes: [...IMAGE_TYPES],
        maxPictures: MAX_PICTURES,
        maxAssets: MAX_ASSETS,
        archiveMaxMb: config.ARCHIVE_MAX_MB,
        archiveMaxFiles: config.ARCHIVE_MAX_FILES,
      },
    };
  });

  app.put(
    '/api/sites/:token',
    {
      config: { rateLimit: perMinute(config, 'site_save') },
      bodyLimit: DOCUMENT_BODY_LIMIT,
      // validated below, so each field's reason can be told precisely
      attachValidation: true,
      schema: routes['PUT /api/sites/:token'],
    },
    async (req, reply) => {
      const body = parseOrThrow(siteSave, req.body, req.locale);
      const order = await load(req.params.token);
      editable(order);
      await assetsExist(order.id, body.document, req.locale);
      const result = await saveSite(db, order, body.version, body.document);
      if (!result.saved) {
        return reply.code(409).send({
          code: 'site_version_conflict',
          message: errorMessage('site_version_conflict', req.locale),
          currentVersion: result.currentVersion,
        });
      }
      return { version: result.version, updatedAt: result.updatedAt.toISOString(), document: body.document };
    },
  );

  // The preview renders with the real renderer; its pictures load from the asset route.
  const sendPreview = async (reply: FastifyReply, order: Order, token: string, content: SiteContent) => {
    const images = await siteImagesFor(db, order.id, content, { withBytes: false, src: (id) => assetUrl(token, id) });
    const html = renderSite(documentOf(content), { domain: order.domain, images }).get('/index.html')!;
    return (
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        // the editor shows it in a frame of its own page; nothing in it runs
        .header(
          'content-security-policy',
          "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
        )
        .header('x-frame-options', 'SAMEORIGIN')
        .send(html)
    );
  };

  app.get('/api/sites/:token/preview', limited(config, 'GET /api/sites/:token/preview', 'preview'), async (req, reply) => {
    const order = await load(req.params.token);
    const site = await loadSite(db, order);
    return sendPreview(reply, order, req.params.token, site.content);
  });

  app.post(
    '/api/sites/:token/preview',
    {
      config: { rateLimit: perMinute(config, 'preview') },
      bodyLimit: DOCUMENT_BODY_LIMIT,
      attachValidation: true,
      schema: routes['POST /api/sites/:token/preview'],
    },
    async (req, reply) => {
      const body = parseOrThrow(sitePreview, req.body, req.locale);
      const order = await load(req.params.token);
      return sendPreview(reply, order, req.params.token, body.document);
    },
  );

  app.post('/api/sites/:token/publish', limited(config, 'POST /api/sites/:token/publish', 'publish'), async (req, reply) => {
    const order = await load(req.params.token);
    const { version } = await requestPublish(deps, order.id);
    return reply.code(202).send({ version, state: 'queued' });
  });

  app.post('/api/sites/:token/assets', limited(config, 'POST /api/sites/:token/assets', 'asset_upload'), async (req, reply) => {
    const order = await load(req.params.token);
    editable(order);
    refuseFormUpload(req.headers['content-type'], 'image_raw_body_required');
    const maxMb = (config.IMAGE_MAX_BYTES / 1_000_000).toLocaleString('en', { maximumFractionDigits: 1 });
    const bytes = await readRaw(req.body, req.headers['content-length'], config.IMAGE_MAX_BYTES, () => new AppError('image_too_large', 413, { maxMb }));
    const limits = { maxBytes: config.IMAGE_MAX_BYTES, maxDimension: config.IMAGE_MAX_DIMENSION };
    let image;
    try {
      // headers first: a decompression bomb is refused before any decoder sees it
      const info = checkImage(bytes, limits);
      // then resized, recompressed and without its GPS position and the like; broken pixels are refused here
      image = await prepareImage(bytes, info, req.query.kind, limits);
    } catch (err) {
      if (err instanceof ImageError) throw new AppError(err.code, err.code === 'image_too_large' ? 413 : 422, err.params);
      throw err;
    }
    const added = await addAsset(db, order.id, { kind: req.query.kind, image, name: req.query.filename || undefined });
    if ('limitReached' in added) throw new AppError('asset_limit_reached', 409, { max: MAX_ASSETS });
    return reply.code(added.created ? 201 : 200).send({ ...added.asset, url: assetUrl(req.params.token, added.asset.id) });
  });

  app.get('/api/sites/:token/assets/:id', limited(config, 'GET /api/sites/:token/assets/:id', 'asset_read'), async (req, reply) => {
    const order = await load(req.params.token);
    const asset = await assetBytes(db, order.id, req.params.id);
    if (!asset) throw new AppError('asset_not_found', 404);
    return reply
      .header('content-type', asset.content_type)
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('etag', `"${asset.sha256}"`)
      .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'; sandbox")
      .header('cross-origin-resource-policy', 'same-origin')
      .send(asset.bytes);
  });

  app.delete('/api/sites/:token/assets/:id', limited(config, 'DELETE /api/sites/:token/assets/:id', 'asset_delete'), async (req, reply) => {
    const order = await load(req.params.token);
    editable(order);
    // read without writing: a refused delete leaves no default document behind
    const site = await savedSite(db, order);
    if (site && referencedAssets(site.content).includes(req.params.id)) throw new AppError('asset_in_use', 409);
    if (!(await deleteAsset(db, order.id, req.params.id))) throw new AppError('asset_not_found', 404);
    return reply.code(204).send();
  });

  // ---- the archive, at order time ----

  const archiveStillPossible = archiveAllowed;

  app.post(
    '/api/concierge/status/:token/archive',
    {
      // inflating is CPU work: few tries a minute, enough to fix and resend an archive a few times
      config: { rateLimit: perMinute(config, 'archive') },
      schema: routes['POST /api/concierge/status/:token/archive'],
    },
    async (req, reply) => {
      const order = await load(req.params.token);
      if (!archiveStillPossible(order)) throw new AppError(CLOSED.includes(order.state) ? 'site_not_editable' : 'archive_too_late', 409);
      refuseFormUpload(req.headers['content-type'], 'archive_raw_body_required');
      const maxBytes = config.ARCHIVE_MAX_MB * 1024 * 1024;
      const zip = await readRaw(
        req.body,
        req.headers['content-length'],
        maxBytes,
        () => new AppError('archive_too_large', 413, { maxMb: config.ARCHIVE_MAX_MB }),
      );
      let checked;
      try {
        checked = await checkArchive(zip, {
          maxBytes,
          maxFiles: config.ARCHIVE_MAX_FILES,
          maxUncompressedBytes: config.ARCHIVE_MAX_UNCOMPRESSED_MB * 1024 * 1024,
          maxRatio: config.ARCHIVE_MAX_RATIO,
        });
      } catch (err) {
        if (err instanceof ArchiveError) {
          deps.log.info({ event: 'site_archive_refused', orderId: order.id, code: err.code }, 'archive refused');
          throw new AppError(err.code, err.code === 'archive_too_large' ? 413 : 422, err.params);
        }
        throw err;
      }
      const saved = await db.transaction().execute(async (tx) => {
        // under the order's lock: the deploy step cannot start between this check and the write
        const locked = await lockOrder(tx, order.id);
        if (!locked || !archiveStillPossible(locked)) throw new AppError('archive_too_late', 409);
        const view = await saveArchive(tx, order.id, zip, checked);
        await addEvent(tx, order.id, 'site_archive_uploaded', { files: view.files });
        return view;
      });
      deps.log.info({ event: 'site_archive_uploaded', orderId: order.id, files: saved.files, bytes: saved.size }, 'archive uploaded');
      return reply.code(201).send({ ...saved, root: checked.root, paths: [...checked.files.keys()].sort().slice(0, 200) });
    },
  );

  app.delete('/api/concierge/status/:token/archive', limited(config, 'DELETE /api/concierge/status/:token/archive', 'archive'), async (req, reply) => {
    const order = await load(req.params.token);
    await db.transaction().execute(async (tx) => {
      const locked = await lockOrder(tx, order.id);
      if (!locked || !archiveStillPossible(locked)) throw new AppError('archive_too_late', 409);
      if (await archiveOf(tx, order.id)) {
        await deleteArchive(tx, order.id);
        await addEvent(tx, order.id, 'site_archive_removed', {});
      }
    });
    return reply.code(204).send();
  });

  /** Every asset the content names must be one of this order's. */
  async function assetsExist(orderId: string, content: SiteContent, locale: Locale) {
    const ids = referencedAssets(content);
    if (ids.length === 0) return;
    const known = new Set((await db.selectFrom('site_assets').select('id').where('order_id', '=', orderId).where('id', 'in', ids).execute()).map((r) => r.id));
    const problems: FieldProblem[] = [];
    const unknown = (field: string) => problems.push({ field, code: 'asset_unknown', message: errorMessage('asset_unknown', locale) });
    if (content.logoAssetId && !known.has(content.logoAssetId)) unknown('document.logoAssetId');
    (content.pictures ?? []).forEach((p, i) => {
      if (!known.has(p.assetId)) unknown(`document.pictures.${i}.assetId`);
    });
    if (problems.length) throw validationError(problems, locale);
  }
};

// ---------- request bodies ----------

/** Read a raw body (a stream, from the catch-all parser) up to `limit` bytes; a declared length over it is refused before reading. */
async function readRaw(body: unknown, contentLength: string | undefined, limit: number, tooLarge: () => AppError): Promise<Buffer> {
  if (contentLength !== undefined && Number(contentLength) > limit) throw tooLarge();
  if (!body || typeof (body as Readable).on !== 'function') throw new AppError('unsupported_media_type', 415);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * A browser form posts multipart/form-data (or urlencoded): the file is wrapped in parts that our
 * checks would take for a broken file. Said plainly instead, with the way that works (the editor
 * and the order form send the file itself as the body).
 */
function refuseFormUpload(contentType: string | undefined, code: 'archive_raw_body_required' | 'image_raw_body_required'): void {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('multipart/') || type === 'application/x-www-form-urlencoded') throw new AppError(code, 415);
}

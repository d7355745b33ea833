// Publishing from the editor after delivery: the request (202, timeline, job) and the publish_site job (render, deploy only what changed, email).
import type { Deps } from '../deps.ts';
import { addJob } from '../db/database.ts';
import { addEvent, findOrderById, lockOrder } from '../db/orders.ts';
import { recordProviderCall } from '../db/provider-calls.ts';
import { defineTimelineTexts } from '../domain/timeline.ts';
import { AppError, ProviderError } from '../errors.ts';
import { queueEmail } from '../emails/outbox.ts';
import { sitePublishedEmail } from '../emails/site-published.ts';
import { deleteArchive, loadSite, markPublished, siteFiles } from '../site/store.ts';
import { customerLinks } from './links.ts';

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));

defineTimelineTexts({
  site_archive_uploaded: {
    fr: (d) => `Archive de votre site reçue (${s(d.files)} fichiers) : c’est elle qui sera mise en ligne.`,
    en: (d) => `Your site archive was received (${s(d.files)} files): it is what goes live.`,
  },
  site_publish_requested: {
    fr: (d) => `Publication de la version ${s(d.version)} de votre site demandée.`,
    en: (d) => `Publishing version ${s(d.version)} of your site requested.`,
  },
  site_published: {
    fr: (d) => `Version ${s(d.version)} en ligne (${s(d.uploaded)} fichier(s) envoyé(s) sur ${s(d.files)}).`,
    en: (d) => `Version ${s(d.version)} is live (${s(d.uploaded)} of ${s(d.files)} file(s) uploaded).`,
  },
  site_publish_failed: {
    fr: (d) => `La publication de la version ${s(d.version)} n’a pas abouti (${s(d.code)}) ; le site en ligne n’a pas changé. Réessayez dans un moment.`,
    en: (d) => `Publishing version ${s(d.version)} did not go through (${s(d.code)}); the live site is unchanged. Please try again shortly.`,
  },
});

/** Attempts of one publish before it is reported as failed (graphile-worker backs off between them). */
export const PUBLISH_MAX_ATTEMPTS = 6;

/**
 * Ask for the saved document to go live: one job per order at a time (its own queue), a newer
 * request replacing one not yet started. Only a delivered site is published this way; before
 * delivery the pipeline's deploy step takes the saved document itself.
 */
export async function requestPublish(deps: Deps, orderId: string): Promise<{ version: number }> {
  return deps.db.transaction().execute(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order) throw new AppError('order_not_found', 404);
    if (order.state !== 'delivered' || !order.site_id) throw new AppError('site_not_delivered', 409);
    const { version } = await loadSite(tx, order);
    await addEvent(tx, order.id, 'site_publish_requested', { version });
    await addJob(tx, 'publish_site', { orderId: order.id }, {
      jobKey: `site-publish:${order.id}`,
      jobKeyMode: 'replace',
      queueName: `site:${order.id}`,
      maxAttempts: PUBLISH_MAX_ATTEMPTS,
    });
    return { version };
  });
}

export type PublishOutcome = 'published' | 'skipped';

/** The publish_site job: the document as saved now, rendered and deployed; `lastAttempt` turns a failure into a timeline event. */
export async function publishSite(deps: Deps, orderId: string, lastAttempt: boolean): Promise<PublishOutcome> {
  const { db, hosting, config } = deps;
  const order = await findOrderById(db, orderId);
  if (!order || order.state !== 'delivered' || !order.site_id) return 'skipped';
  const site = await siteFiles(db, order, { preferDocument: true });
  const version = site.source === 'document' ? site.version : 0;
  let result;
  try {
    // The version is in the key: going back to an earlier content is a new deploy, not a replay of the old one.
    result = await recordProviderCall(db, { orderId, provider: hosting.name, operation: 'deploy' }, () =>
      deps.circuits.for(hosting.name).call(() => hosting.deploy(order.site_id!, site.files, { idempotencyKey: `order:${order.id}:site:v${version}` })),
    );
  } catch (err) {
    const permanent = err instanceof ProviderError && !err.retryable;
    if (permanent || lastAttempt) {
      await addEvent(db, orderId, 'site_publish_failed', { version, code: err instanceof ProviderError ? err.code : 'unexpected_error' });
      deps.log.error({ event: 'site_publish_failed', orderId, version, err: (err as Error).message }, 'publish failed');
      if (permanent) return 'skipped';
    }
    throw err;
  }
  const publishedAt = new Date();
  await db.transaction().execute(async (tx) => {
    await markPublished(tx, order.id, version, publishedAt);
    // the editor's document replaces an archive uploaded at order time
    await deleteArchive(tx, order.id);
    await addEvent(tx, order.id, 'site_published', { version, uploaded: result.uploaded, files: result.total });
    const links = customerLinks(config, order);
    await queueEmail(tx, {
      orderId: order.id,
      kind: 'site_published',
      dedupeKey: `site-published:${order.id}:v${version}`,
      to: order.email,
      locale: order.locale,
      rendered: sitePublishedEmail(
        {
          businessName: order.business_name,
          domain: order.domain_unicode,
          siteUrl: `https://${order.domain_unicode}/`,
          editorUrl: links.editorUrl!,
          version,
          publishedAt,
          supportEmail: config.SUPPORT_EMAIL,
        },
        order.locale,
      ),
    });
  });
  deps.log.info({ event: 'site_published', orderId, version, uploaded: result.uploaded, files: result.total }, 'site published');
  return 'published';
}


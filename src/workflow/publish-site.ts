// Publishing from the editor after delivery: the request (202, timeline, job) and the publish_site job (render, deploy only what changed, email).
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import type { DeployProgress } from '../providers/hosting/index.ts';
import { addEvent, findOrderById, lockOrder } from '../db/orders.ts';
import { recordProviderCall } from '../db/provider-calls.ts';
import { defineTimelineTexts } from '../domain/timeline.ts';
import { AppError, ProviderError } from '../errors.ts';
import { queueEmail } from '../emails/outbox.ts';
import { sitePublishedEmail } from '../emails/site-published.ts';
import { siteMarker } from '../site/render.ts';
import { deleteArchive, loadSite, markPublished, siteFiles } from '../site/store.ts';
import { customerLinks } from './links.ts';
import { checkSiteLive } from './steps/verify-site.ts';
import type { Payload } from './jobs/catalogue.ts';
import { enqueue } from './jobs/enqueue.ts';
import { comeBackIn, type ComeBack } from './jobs/run.ts';

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));

defineTimelineTexts({
  site_archive_uploaded: {
    fr: (d) => `Archive de votre site reçue (${s(d.files)} fichiers) : c’est elle qui sera mise en ligne.`,
    en: (d) => `Your site archive was received (${s(d.files)} files): it is what goes live.`,
  },
  site_archive_removed: {
    fr: () => 'Archive retirée : c’est le site de l’éditeur qui sera mis en ligne.',
    en: () => 'Archive removed: the editor’s site is what goes live.',
  },
  site_publish_requested: {
    fr: (d) => `Publication de la version ${s(d.version)} de votre site demandée.`,
    en: (d) => `Publishing version ${s(d.version)} of your site requested.`,
  },
  site_publish_waiting: {
    fr: (d) => `L’hébergeur limite les mises en ligne à trois par minute : la version ${s(d.version)} part dans ${s(d.seconds)} s.`,
    en: (d) => `The host allows three updates a minute: version ${s(d.version)} goes out in ${s(d.seconds)} s.`,
  },
  site_publish_deployed: {
    fr: (d) => `Version ${s(d.version)} envoyée à l’hébergeur (${s(d.uploaded)} fichier(s) sur ${s(d.files)}) ; vérification qu’elle est bien en ligne…`,
    en: (d) => `Version ${s(d.version)} sent to the host (${s(d.uploaded)} of ${s(d.files)} file(s)); checking that it is live…`,
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
    await enqueue(tx, 'publish_site', { orderId: order.id }, { mode: 'replace' });
    return { version };
  });
}

export type PublishOutcome = 'deployed' | 'waiting' | 'skipped';

/** How long after a deploy the live site may take to show the new version before the publish is reported as failed. */
const VERIFY_MAX_MS = 10 * 60_000;
/** Deploys of one publish the host may fail (error, rejected) before the publish is reported as failed. */
const MAX_FAILED_DEPLOYS = 3;
/** A wait the host imposes (3 deploys a minute per site) longer than this is told to the customer, with when it ends. */
const WAIT_WORTH_TELLING_MS = 3_000;

/** A deploy the publish job started and looks at again on later runs (the job's payload carries it). */
export type PublishDeploy = NonNullable<Payload<'publish_site'>['deploy']>;

/** The latest version the customer asked to publish (their requests are in the timeline). */
async function latestRequestedVersion(deps: Deps, orderId: string): Promise<number> {
  const row = await deps.db
    .selectFrom('order_events')
    .select(sql<number>`max((data->>'version')::int)`.as('v'))
    .where('order_id', '=', orderId)
    .where('type', '=', 'site_publish_requested')
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

/**
 * The publish_site job: the document as saved now, rendered and deployed (only changed files uploaded), then the live
 * check is queued. Neither the host's processing nor a wait it imposes holds a worker: the job starts the deploy and
 * comes back (run_at) to read its state, carrying the deploy in its payload; a newer request meanwhile starts a new
 * deploy of what is saved now. `lastAttempt` turns a failure into a timeline event.
 */
export async function publishSite(deps: Deps, payload: Payload<'publish_site'>, lastAttempt: boolean): Promise<PublishOutcome | ComeBack> {
  const { db, hosting } = deps;
  const { orderId } = payload;
  const order = await findOrderById(db, orderId);
  if (order?.state !== 'delivered' || !order.site_id) return 'skipped';
  const call = <T>(operation: string, fn: () => Promise<T>) =>
    recordProviderCall(db, { orderId, provider: hosting.name, operation }, () => deps.circuits.for(hosting.name).call(fn));
  let deploy = payload.deploy;
  if (deploy && (await latestRequestedVersion(deps, orderId)) > deploy.version) deploy = undefined;
  let version = deploy?.version ?? 0;
  let rejected = deploy?.rejected ?? 0;
  let progress: DeployProgress;
  try {
    progress = deploy ? await call('getDeploy', () => hosting.getDeploy(deploy!.id)) : { deployId: '', state: 'new', phase: 'uploading' };
    if (progress.phase === 'failed') {
      // error or rejected: this deploy is lost; a new one is made (a failed deploy is never reused), a few times at most
      rejected++;
      deps.log.warn({ event: 'site_deploy_failed', orderId, version, state: progress.state, rejected }, 'the host failed a deploy');
      if (rejected >= MAX_FAILED_DEPLOYS) {
        await addEvent(db, orderId, 'site_publish_failed', { version, code: 'deploy_failed' });
        return 'skipped';
      }
      progress = { deployId: '', state: progress.state, phase: 'uploading' };
    }
    // a first run, a deploy still missing files (an interrupted upload) or one to replace: create or find it, send what it lacks
    if (progress.phase === 'uploading') {
      const site = await siteFiles(db, order, { preferDocument: true });
      version = site.source === 'document' ? site.version : 0;
      // the version is in the key: going back to an earlier content is a new deploy, not a replay of the old one
      const started = await call('deploy', () => hosting.startDeploy(order.site_id!, site.files, { idempotencyKey: `order:${order.id}:site:v${version}` }));
      const since = deploy?.id === started.deployId ? deploy.since : Date.now();
      deploy = { id: started.deployId, version, since, uploaded: (deploy?.uploaded ?? 0) + started.uploaded, files: started.total, rejected };
      progress = started;
    }
    // failed as soon as made: the job's next try makes another
    if (progress.phase === 'failed') throw new ProviderError(hosting.name, 'deploy_failed', `deploy ${progress.deployId} ${progress.state}`, true);
  } catch (err) {
    const permanent = err instanceof ProviderError && !err.retryable;
    const waitMs = err instanceof ProviderError && err.retryable ? (err.retryAfterMs ?? 0) : 0;
    if (!permanent && !lastAttempt && waitMs > WAIT_WORTH_TELLING_MS) {
      // Netlify's 3 deploys a minute per site: come back when the host takes the next one, and say when
      const until = new Date(Date.now() + waitMs);
      deps.log.info({ event: 'site_publish_waiting', orderId, version, waitMs }, 'publish waits for the host');
      return comeBackIn(
        waitMs,
        (tx) => addEvent(tx, orderId, 'site_publish_waiting', { version, until: until.toISOString(), seconds: Math.ceil(waitMs / 1000) }),
        { orderId },
      );
    }
    if (permanent || lastAttempt) {
      await addEvent(db, orderId, 'site_publish_failed', { version, code: err instanceof ProviderError ? err.code : 'unexpected_error' });
      deps.log.error({ event: 'site_publish_failed', orderId, version, err: (err as Error).message }, 'publish failed');
      if (permanent) return 'skipped';
    }
    throw err;
  }
  const d = deploy!;
  if (progress.phase !== 'ready') {
    // the host still processing (or in a state it has to move on from): look again later, within the waiting time
    if (Date.now() - d.since > deps.config.WAIT_MAX_MINUTES * 60_000) {
      await addEvent(db, orderId, 'site_publish_failed', { version: d.version, code: 'deploy_timeout' });
      return 'skipped';
    }
    return comeBackIn(deps.config.HOST_POLL_MS, undefined, { orderId, deploy: d });
  }
  const deployedAt = new Date();
  await db.transaction().execute(async (tx) => {
    await markPublished(tx, order.id, d.version, deployedAt);
    // the editor's document replaces an archive uploaded at order time
    await deleteArchive(tx, order.id);
    await addEvent(tx, order.id, 'site_publish_deployed', { version: d.version, uploaded: d.uploaded, files: d.files });
    // a newer publish's check replaces this one's: only the version live now is worth checking
    const check: VerifyPublish = { orderId, version: d.version, uploaded: d.uploaded, files: d.files, deployedAt: deployedAt.toISOString() };
    await enqueue(tx, 'verify_publish', check, { mode: 'replace' });
  });
  deps.log.info({ event: 'site_publish_deployed', orderId, version: d.version, uploaded: d.uploaded, files: d.files }, 'site deployed, checking it live');
  return 'deployed';
}

/** What verify_publish checks: the version deployed, and when (src/workflow/jobs/catalogue.ts). */
export type VerifyPublish = Payload<'verify_publish'>;

/**
 * The verify_publish job: the new version is told to the customer only once a visitor would see
 * it: HTTPS answers with the marker and this version, as the pipeline's verify step checks a new
 * site. Until then it comes back every few seconds (rescheduled, not slept); after VERIFY_MAX_MS
 * the publish is reported as failed.
 */
export async function verifyPublish(deps: Deps, job: VerifyPublish): Promise<'published' | 'waiting' | 'failed' | 'skipped'> {
  const { db, config } = deps;
  const order = await findOrderById(db, job.orderId);
  if (order?.state !== 'delivered') return 'skipped';
  // the whole comment, so that version 5 is not found in "version:55"
  const check = await checkSiteLive(deps, order.domain, `<!-- ${siteMarker(order.domain, job.version)} -->`);
  if (check.problems.length) {
    if (Date.now() - new Date(job.deployedAt).getTime() < VERIFY_MAX_MS) {
      // checked again in a few seconds
      await enqueue(db, 'verify_publish', job, { mode: 'replace', runAt: new Date(Date.now() + Math.min(config.DNS_POLL_MS, 5_000)) });
      return 'waiting';
    }
    await addEvent(db, order.id, 'site_publish_failed', { version: job.version, code: 'verification_failed' });
    deps.log.error({ event: 'site_publish_failed', orderId: order.id, version: job.version, problems: check.problems }, 'published version not seen live');
    return 'failed';
  }
  const publishedAt = new Date();
  await db.transaction().execute(async (tx) => {
    await addEvent(tx, order.id, 'site_published', { version: job.version, uploaded: job.uploaded, files: job.files });
    const links = customerLinks(config, order);
    await queueEmail(tx, {
      orderId: order.id,
      kind: 'site_published',
      dedupeKey: `site-published:${order.id}:v${job.version}`,
      to: order.email,
      locale: order.locale,
      rendered: sitePublishedEmail(
        {
          businessName: order.business_name,
          domain: order.domain_unicode,
          siteUrl: `https://${order.domain_unicode}/`,
          editorUrl: links.editorUrl!,
          version: job.version,
          publishedAt,
          supportEmail: config.SUPPORT_EMAIL,
          publicUrl: config.publicUrl,
        },
        order.locale,
      ),
    });
  });
  deps.log.info({ event: 'site_published', orderId: order.id, version: job.version, httpsMs: check.httpsMs }, 'site published and seen live');
  return 'published';
}

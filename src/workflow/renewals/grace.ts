// After an unpaid expiry: the site shows a notice page for the grace period (the renewal still payable), goes back once
// renewed, and after the grace period its hosting is removed, its monitor stopped and its customer told. ICANN's ERRP
// asks that an expired name's usual resolution be interrupted with a page that says how to renew it; the simplest honest
// way with our host is to deploy that page in place of the site's files, and the site's own files again after payment.
import type { Deps } from '../../deps.ts';
import { addEvent, findOrderById } from '../../db/orders.ts';
import { recordProviderCall } from '../../db/provider-calls.ts';
import type { Order } from '../../db/schema.ts';
import { queueEmail } from '../../emails/outbox.ts';
import { renewalLostEmail } from '../../emails/renewal.ts';
import { escapeHtml } from '../../emails/layout.ts';
import { disableMonitor } from '../../monitoring/sites.ts';
import { siteFiles } from '../../site/store.ts';
import { trackingUrl } from '../payment-link.ts';
import { comeBackIn, type ComeBack } from '../jobs/run.ts';
import type { DeployProgress } from '../../providers/hosting/index.ts';
import { ProviderError } from '../../errors.ts';

/** A deploy a grace job started and looks at again on its later runs (the job's payload carries it). */
export interface GraceDeploy {
  id: string;
  since: number;
}

/**
 * `files` live on the order's site without holding a worker: the deploy is started (found again by its key after a
 * lost answer), and while the host processes it the job comes back with it in its payload. A deploy the host failed is
 * replaced by the job's next try.
 */
async function deployFiles(deps: Deps, order: Order, files: Map<string, Buffer>, key: string, kept: GraceDeploy | undefined): Promise<'ready' | ComeBack> {
  const hosting = deps.hosting;
  const call = <T>(operation: string, fn: () => Promise<T>) =>
    recordProviderCall(deps.db, { orderId: order.id, provider: hosting.name, operation }, () => deps.circuits.for(hosting.name).call(fn));
  let progress: DeployProgress | undefined = kept ? await call('getDeploy', () => hosting.getDeploy(kept.id)) : undefined;
  if (!progress || progress.phase === 'uploading' || progress.phase === 'failed') {
    progress = await call('deploy', () => hosting.startDeploy(order.site_id!, files, { idempotencyKey: key }));
  }
  if (progress.phase === 'failed') throw new ProviderError(hosting.name, 'deploy_failed', `deploy ${progress.deployId} ${progress.state}`, true);
  if (progress.phase === 'ready') return 'ready';
  const since = kept?.id === progress.deployId ? kept.since : Date.now();
  if (Date.now() - since > deps.config.WAIT_MAX_MINUTES * 60_000) {
    throw new ProviderError(hosting.name, 'deploy_timeout', `deploy ${progress.deployId} still ${progress.state}`, true);
  }
  return comeBackIn(deps.config.HOST_POLL_MS, undefined, { orderId: order.id, deploy: { id: progress.deployId, since } });
}

const expiryKey = async (deps: Deps, orderId: string) =>
  (await deps.db.selectFrom('renewals').select('expires_at').where('order_id', '=', orderId).executeTakeFirst())?.expires_at?.toISOString().slice(0, 10) ??
  'none';

/** The renewal_grace job: the notice page replaces the site while the renewal is unpaid. */
export async function showGraceNotice(deps: Deps, orderId: string, kept?: GraceDeploy): Promise<string | ComeBack> {
  const order = await findOrderById(deps.db, orderId);
  const plan = await deps.db.selectFrom('renewals').select('state').where('order_id', '=', orderId).executeTakeFirst();
  if (!order?.site_id || plan?.state !== 'grace') return 'not_in_grace';
  const notice = new Map([['/index.html', Buffer.from(noticePage(order, trackingUrl(deps.config.publicUrl, order)), 'utf8')]]);
  const deployed = await deployFiles(deps, order, notice, `order:${order.id}:renewal-notice:${await expiryKey(deps, orderId)}`, kept);
  if (deployed !== 'ready') return deployed;
  await addEvent(deps.db, order.id, 'renewal_grace', {});
  return 'notice';
}

/** The renewal_restore job: the site's own files again, once the renewal is paid and made. */
export async function restoreSite(deps: Deps, orderId: string, kept?: GraceDeploy): Promise<string | ComeBack> {
  const order = await findOrderById(deps.db, orderId);
  if (!order?.site_id) return 'no_site';
  const site = await siteFiles(deps.db, order);
  const deployed = await deployFiles(deps, order, site.files, `order:${order.id}:renewal-restore:${await expiryKey(deps, orderId)}`, kept);
  if (deployed !== 'ready') return deployed;
  await addEvent(deps.db, order.id, 'renewal_restored', {});
  return 'restored';
}

/** The renewal_lost job: the hosting removed (a site already gone is fine), the monitor stopped, the customer told. */
export async function loseRenewal(deps: Deps, orderId: string): Promise<string> {
  const order = await findOrderById(deps.db, orderId);
  const plan = await deps.db.selectFrom('renewals').select('state').where('order_id', '=', orderId).executeTakeFirst();
  if (!order || plan?.state !== 'lost') return 'not_lost';
  if (order.site_id) {
    await recordProviderCall(deps.db, { orderId, provider: deps.hosting.name, operation: 'delete_site' }, () => deps.hosting.deleteSite(order.site_id!));
  }
  await disableMonitor(deps, orderId, 'renewal_lost');
  await deps.db.transaction().execute(async (tx) => {
    await addEvent(tx, orderId, 'renewal_lost', {});
    await queueEmail(tx, {
      orderId,
      kind: 'renewal_lost',
      dedupeKey: `renewal-lost:${orderId}:${await expiryKey(deps, orderId)}`,
      to: order.email,
      locale: order.locale,
      rendered: renewalLostEmail({ businessName: order.business_name, domain: order.domain_unicode, supportEmail: deps.config.SUPPORT_EMAIL }, order.locale),
    });
  });
  return 'lost';
}

/** The page the domain shows during the grace period, in the order's language, saying how to renew. */
export function noticePage(order: Order, renewUrl: string): string {
  const fr = order.locale === 'fr';
  const name = escapeHtml(order.domain_unicode);
  const title = fr ? `${name} : renouvellement en attente` : `${name}: renewal pending`;
  const body = fr
    ? `<p>Le nom de domaine <strong>${name}</strong> a expiré et n’a pas encore été renouvelé. Le site de ${escapeHtml(order.business_name)} revient dès le renouvellement.</p><p><a href="${escapeHtml(renewUrl)}">Renouveler ${name}</a></p>`
    : `<p>The domain name <strong>${name}</strong> has expired and is not renewed yet. The site of ${escapeHtml(order.business_name)} comes back as soon as it is renewed.</p><p><a href="${escapeHtml(renewUrl)}">Renew ${name}</a></p>`;
  return `<!doctype html><html lang="${order.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1a1f36}a{color:#3b4cca}</style></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

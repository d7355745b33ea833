// Phase 3: render the site's files and deploy them (the host receives only the files it lacks); the host's processing is
// waited for by coming back later (run_at), never by holding a worker.
import { ProviderError } from '../../errors.ts';
import { markPublished, siteFiles } from '../../site/store.ts';
import type { Step } from '../step.ts';

export const deploySite: Step = {
  name: 'deploy_site',
  state: 'deploying',
  async action({ deps, order, idempotencyKey, attempt, memo, call }) {
    const hosting = deps.hosting;
    // The customer's own content: the archive uploaded at order time, else the editor's
    // saved document (the default one, written from the order, when nobody has edited it yet).
    const site = await siteFiles(deps.db, order);
    const kept = memo?.deployId ? (memo as { deployId: string; since: number; uploaded: number; files: number }) : undefined;
    let progress = kept ? await call(hosting.name, 'getDeploy', () => hosting.getDeploy(kept.deployId)) : undefined;
    let counts = kept ? { uploaded: kept.uploaded, files: kept.files } : undefined;
    // a first run, or a deploy still missing files (an interrupted upload): create or find it again, and send what it lacks
    if (!progress || progress.phase === 'uploading') {
      // the run is counted before it starts (src/db/steps.ts): on the first, no earlier run can have left a deploy to reuse
      const started = await call(hosting.name, 'deploy', () => hosting.startDeploy(order.site_id!, site.files, { idempotencyKey, firstTry: attempt === 1 }));
      progress = started;
      counts = { uploaded: (kept?.uploaded ?? 0) + started.uploaded, files: started.total };
    }
    const since = kept?.deployId === progress.deployId ? kept.since : Date.now();
    if (progress.phase === 'failed') {
      // error or rejected: this deploy is lost; the step's next try makes a new one, within its attempts
      throw new ProviderError(hosting.name, 'deploy_failed', `deploy ${progress.deployId} ${progress.state}: ${progress.errorMessage ?? ''}`, true);
    }
    if (progress.phase !== 'ready') {
      // processing, or a state the host has still to move on from: look again later, within the step's waiting time
      if (Date.now() - since > deps.config.WAIT_MAX_MINUTES * 60_000) return { outcome: 'fail', code: 'deploy_timeout' };
      return {
        outcome: 'wait',
        retryInMs: deps.config.HOST_POLL_MS,
        reason: `deploy_${progress.state}`,
        memo: { deployId: progress.deployId, since, ...counts },
      };
    }
    return {
      outcome: 'done',
      output: { deployId: progress.deployId, uploaded: counts?.uploaded ?? 0, files: counts?.files ?? site.files.size, source: site.source },
      // the editor shows which version of the document is live
      commit: site.source === 'document' ? (tx) => markPublished(tx, order.id, site.version) : undefined,
    };
  },
};

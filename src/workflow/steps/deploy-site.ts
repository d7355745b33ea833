// Phase 3: render the site's files and deploy them (the host receives only the files it lacks).
import { markPublished, siteFiles } from '../../site/store.ts';
import type { Step } from '../step.ts';

export const deploySite: Step = {
  name: 'deploy_site',
  state: 'deploying',
  async action({ deps, order, idempotencyKey, attempt, call }) {
    // The customer's own content: the archive uploaded at order time, else the editor's
    // saved document (the default one, written from the order, when nobody has edited it yet).
    const site = await siteFiles(deps.db, order);
    // the run is counted before it starts (src/db/steps.ts): on the first, no earlier run can have left a deploy to reuse
    const result = await call(deps.hosting.name, 'deploy', () => deps.hosting.deploy(order.site_id!, site.files, { idempotencyKey, firstTry: attempt === 1 }));
    return {
      outcome: 'done',
      // pausedMs: the part of the deploy call spent waiting between looks at its state (figure g counts it as ours)
      output: { deployId: result.deployId, uploaded: result.uploaded, files: result.total, pausedMs: Math.round(result.pausedMs), source: site.source },
      // the editor shows which version of the document is live
      commit: site.source === 'document' ? (tx) => markPublished(tx, order.id, site.version) : undefined,
    };
  },
};

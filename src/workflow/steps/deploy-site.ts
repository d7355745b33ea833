// Phase 3: render the site's files and deploy them (the host receives only the files it lacks).
import { defaultSiteDocument } from '../../site/document.ts';
import { renderSite } from '../../site/render.ts';
import type { Step } from '../step.ts';

export const deploySite: Step = {
  name: 'deploy_site',
  state: 'deploying',
  async action({ deps, order, idempotencyKey, call }) {
    const doc = defaultSiteDocument({
      businessName: order.business_name,
      city: order.city,
      email: order.email,
      locale: order.locale,
      domain: order.domain_unicode,
    });
    const files = renderSite(doc, { domain: order.domain });
    const result = await call(deps.hosting.name, 'deploy', () => deps.hosting.deploy(order.site_id!, files, { idempotencyKey }));
    return { outcome: 'done', output: { deployId: result.deployId, uploaded: result.uploaded, files: result.total } };
  },
};

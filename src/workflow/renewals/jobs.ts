// The renewal tasks' handlers (their keys and retries: src/workflow/jobs/catalogue.ts).
import type { Deps } from '../../deps.ts';
import type { Handlers } from '../jobs/run.ts';
import { chargeRenewal, sendRenewalLink } from './charge.ts';
import { runRenewalRefund } from './departed.ts';
import { loseRenewal, restoreSite, showGraceNotice } from './grace.ts';
import { forgetSavedMethod, recordSavedMethod } from './plan.ts';
import { renewAtRegistrar } from './register.ts';
import { runRenewalScan } from './scan.ts';

type RenewalTask =
  | 'renewal_scan'
  | 'renewal_setup'
  | 'renewal_forget'
  | 'renewal_charge'
  | 'renewal_link'
  | 'renewal_register'
  | 'renewal_grace'
  | 'renewal_restore'
  | 'renewal_lost'
  | 'renewal_refund';

export function renewalHandlers(deps: Deps): Pick<Handlers, RenewalTask> {
  return {
    renewal_scan: () => runRenewalScan(deps),
    renewal_setup: ({ orderId }) => recordSavedMethod(deps, orderId),
    renewal_forget: ({ orderId }) => forgetSavedMethod(deps, orderId),
    renewal_charge: ({ attemptId }, job) => chargeRenewal(deps, attemptId, job),
    renewal_link: ({ attemptId, seq }) => sendRenewalLink(deps, attemptId, seq),
    renewal_register: ({ attemptId }) => renewAtRegistrar(deps, attemptId),
    renewal_grace: ({ orderId, deploy }) => showGraceNotice(deps, orderId, deploy),
    renewal_restore: ({ orderId, deploy }) => restoreSite(deps, orderId, deploy),
    renewal_lost: ({ orderId }) => loseRenewal(deps, orderId),
    renewal_refund: ({ attemptId }) => runRenewalRefund(deps, attemptId),
  };
}

// Monitoring's jobs go through here: after the orders' own work in the queue, so watching never delays what it watches.
import { addJob, type JobSpec } from '../db/database.ts';
import type { Database, Tx } from '../db/database.ts';

/**
 * graphile-worker runs lower numbers first: express steps are 0, standard ones 10. Site checks,
 * domain lookups and reports come after both; alert evaluation and its webhooks keep the default
 * (0), since an overloaded queue is exactly when a deadline at risk must be told.
 */
export const BACKGROUND_PRIORITY = 20;

export function addBackgroundJob(db: Database | Tx, task: string, payload: Record<string, unknown>, spec: JobSpec): Promise<void> {
  return addJob(db, task, payload, { priority: BACKGROUND_PRIORITY, ...spec });
}

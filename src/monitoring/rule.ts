// What an alert rule is: it reads PostgreSQL and says which subjects are in trouble right now (src/monitoring/rules.ts lists them).
import type { Deps } from '../deps.ts';

export type Severity = 'warning' | 'critical';

/** One subject the rule fires for; the engine keeps one open alert per rule and subject while it keeps firing. */
export interface Finding {
  subject: string;
  severity: Severity;
  summary: string;
  details: Record<string, unknown>;
}

export interface Rule {
  name: string;
  /** the rule in a few words, for notices ("Provider errors: netlify — lasted 12 min") */
  title: string;
  /** what the rule watches, for the README and the admin */
  description: string;
  evaluate(deps: Deps): Promise<Finding[]>;
}

/**
 * Findings a rule returns at most. A rule that returns this many may have left some out, so the
 * engine then resolves none of its alerts (src/monitoring/alerts.ts): a subject left out is not a subject cured.
 */
export const LIMIT = 1000;

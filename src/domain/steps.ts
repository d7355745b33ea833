// The pipeline's steps by name, in order (src/workflow/pipeline.ts gives each its action, timeout and retry policy).

export const STEP_NAMES = ['register_domain', 'create_site', 'deploy_site', 'point_dns', 'wait_dns', 'secure_site', 'verify_site', 'deliver'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export function isStepName(name: string): name is StepName {
  return (STEP_NAMES as readonly string[]).includes(name);
}

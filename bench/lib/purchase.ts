// A purchase built as the register step builds it, for benchmarks that register names themselves.
import type { Deps } from '../../src/deps.ts';
import { registrarAttributes, tldRule } from '../../src/domain/tld-rules.ts';
import type { CreateInput } from '../../src/providers/registrar/index.ts';
import { operatorContact, registrantContact } from '../../src/workflow/steps/register-domain.ts';
import { BENCH_HOLDER } from './holders.ts';

/** domains.create's input for `domain` bought for BENCH_HOLDER, as the register step makes it. */
export function benchPurchase(deps: Deps, domain: string, idempotencyKey: string): CreateInput {
  const tld = domain.slice(domain.indexOf('.') + 1);
  return {
    domain,
    years: 1,
    registrant: registrantContact(BENCH_HOLDER, 'bench@example.org'),
    operator: operatorContact(deps.config),
    attributes: registrarAttributes(BENCH_HOLDER, tld),
    privacy: tldRule(tld).privacy,
    idempotencyKey,
  };
}

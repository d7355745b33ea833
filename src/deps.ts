// What the API and the workers are given: configuration, database, logger and one instance per provider capability.
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Logger } from './log.ts';
import type { DomainChecker } from './providers/availability/checker.ts';
import type { PaymentProvider, PaymentProviderName } from './providers/payments/index.ts';
import type { MailTransport } from './providers/mail/index.ts';
import type { Registrar } from './providers/registrar/index.ts';

export interface Deps {
  config: Config;
  db: Database;
  log: Logger;
  checker: DomainChecker;
  registrar: Registrar;
  payments: Record<PaymentProviderName, PaymentProvider>;
  mail: MailTransport;
  webhookSecrets: { stripe: string; paypalWebhookId: string };
}

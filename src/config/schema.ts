// Every setting, grouped by capability: the groups in the order the settings reference (docs/settings.md) shows them,
// and the one flat schema they make, which reads the environment.
import { z } from 'zod';
import { availability, pricing, siteContent } from './business.ts';
import { admin, contacts, database, server } from './core.ts';
import { alerts, monitoring } from './monitoring.ts';
import { httpLimits, pipeline } from './operations.ts';
import { hosting, mail, payments, registrar, sandbox } from './providers.ts';
import { renewals } from './renewals.ts';
import { satisfaction } from './satisfaction.ts';
import { legalParties, seller } from './seller.ts';
import { billing } from './billing.ts';
import { personalData } from './personal-data.ts';

export const SETTING_GROUPS = [
  server,
  database,
  admin,
  contacts,
  pricing,
  availability,
  payments,
  registrar,
  hosting,
  mail,
  sandbox,
  pipeline,
  siteContent,
  satisfaction,
  renewals,
  seller,
  legalParties,
  billing,
  personalData,
  httpLimits,
  alerts,
  monitoring,
] as const;

export const settingsSchema = z.object({
  ...server.settings,
  ...database.settings,
  ...admin.settings,
  ...contacts.settings,
  ...pricing.settings,
  ...availability.settings,
  ...payments.settings,
  ...registrar.settings,
  ...hosting.settings,
  ...mail.settings,
  ...sandbox.settings,
  ...pipeline.settings,
  ...siteContent.settings,
  ...satisfaction.settings,
  ...renewals.settings,
  ...seller.settings,
  ...legalParties.settings,
  ...billing.settings,
  ...personalData.settings,
  ...httpLimits.settings,
  ...alerts.settings,
  ...monitoring.settings,
});

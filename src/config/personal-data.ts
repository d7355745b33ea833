// Settings of how long customers' personal data is kept (the privacy page states them; src/legal/ applies them).
import { z } from 'zod';
import { group } from './parse.ts';

export const personalData = group(
  'Personal data',
  'How long what customers told us is kept. Erasure on request and these periods are described on the privacy page (`/confidentialite`, `/privacy`).',
  {
    UNPAID_ORDER_RETENTION_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(90)
      .describe('an order never paid has its personal data removed this many days after it was placed (a recurring job)'),
    RETENTION_SCAN_SECONDS: z.coerce.number().int().min(1).default(3600).describe('how often the orders past their retention period are looked for'),
  },
);

// Settings of the process itself: its server, its database, who may administer it, and who it speaks for.
import { z } from 'zod';
import { about, group, optionalString, token24 } from './parse.ts';

export const server = group('Server', 'The process: where it listens, the address customers reach, where it keeps its files, what it logs.', {
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe('`production` requires `ADMIN_TOKEN`, and `OPERATOR_EMAIL` or `ALERT_WEBHOOK_URL`, and means `SANDBOX=off` unless `SANDBOX=on`'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port (`0` picks a free one)'),
  HOST: z.string().default('127.0.0.1').describe('address to listen on (`0.0.0.0` to expose it)'),
  PUBLIC_URL: optionalString
    .pipe(z.url().optional())
    .meta(about('the URL customers reach; used in emails and payment return links', { shownDefault: '`http://localhost:$PORT`' })),
  DATA_DIR: z.string().default('.data').describe('embedded database, sandbox state, generated admin token and password'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino level (`silent` to mute)'),
});

export const database = group(
  'Database',
  'PostgreSQL: the one given by `DATABASE_URL`, or an embedded one the process starts itself (data under `DATA_DIR/pg`).',
  {
    DATABASE_URL: optionalString
      .pipe(
        z
          .string()
          .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
          .optional(),
      )
      .meta(about('a PostgreSQL URL; when unset an embedded PostgreSQL is started with data under `DATA_DIR/pg`', { secret: true })),
    EMBEDDED_PG_LISTEN: z
      .string()
      .regex(/^[0-9a-fA-F.:]+$|^localhost$/, 'must be an IP address such as 127.0.0.1 or 0.0.0.0')
      .default('127.0.0.1')
      .describe(
        'the embedded PostgreSQL’s listen address; `0.0.0.0` (or one address) lets worker processes on other machines connect, with the password (see [operations](operations.md#several-processes))',
      ),
    EMBEDDED_PG_RUNTIME_DIR: z
      .string()
      .default('/var/lib/conciergerie')
      .describe(
        'as root, where the embedded PostgreSQL runs from when the `postgres` user cannot reach the checkout or `DATA_DIR` (a 0700 home): a copy of the server binaries and the cluster, recorded in `DATA_DIR/pg.location.json`',
      ),
  },
);

export const admin = group('Admin access', 'Who may use the admin API and console. Neither value is ever logged or printed.', {
  ADMIN_TOKEN: token24.meta(
    about('bearer token for `/api/admin/*` (at least 24 characters; required when `NODE_ENV=production`)', {
      shownDefault: 'generated into `DATA_DIR/admin-token`',
      secret: true,
    }),
  ),
  ADMIN_PASSWORD: optionalString.meta(
    about('password of the admin console (`POST /api/admin/login`)', { shownDefault: 'generated into `DATA_DIR/admin-password`', secret: true }),
  ),
});

export const contacts = group(
  'Contacts',
  'The addresses customers and operators see, and the contact registered as the owner of every domain (registrant, admin, tech and billing).',
  {
    SUPPORT_EMAIL: z.email().default('support@conciergerie.example').describe('shown to customers in every email and page'),
    OPERATOR_EMAIL: optionalString.pipe(z.email().optional()).meta(
      about('where alerts and the daily report go; with `NODE_ENV=production`, it or `ALERT_WEBHOOK_URL` must be set', {
        shownDefault: '`ops@conciergerie.example` (none in production)',
      }),
    ),
    REGISTRANT_FIRST_NAME: z.string().default('Camille').describe('the registrant’s first name'),
    REGISTRANT_LAST_NAME: z.string().default('Martin').describe('the registrant’s last name'),
    REGISTRANT_ORGANIZATION: z.string().default('Conciergerie SAS').describe('the registrant’s organisation'),
    REGISTRANT_ADDRESS: z.string().default('10 rue de la Paix').describe('the registrant’s street address'),
    REGISTRANT_CITY: z.string().default('Paris').describe('the registrant’s city'),
    REGISTRANT_STATE: z.string().default('Paris').describe('the registrant’s state or province'),
    REGISTRANT_POSTAL_CODE: z.string().default('75002').describe('the registrant’s postal code'),
    REGISTRANT_COUNTRY: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as FR')
      .default('FR')
      .describe('the registrant’s country, ISO 3166 alpha-2'),
    REGISTRANT_PHONE: z
      .string()
      .regex(/^\+\d{1,3}\.\d{4,14}$/, 'must look like +33.123456789')
      .default('+33.123456789')
      .describe('the registrant’s phone, as registrars write it (`+CC.NUMBER`)'),
    REGISTRANT_EMAIL: z.email().default('domains@conciergerie.example').describe('the registrant’s email address'),
  },
);

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
  'The addresses customers and operators see, and the operator’s contact the registrar records as each domain’s admin, tech and billing contact (the customer is its registrant, the holder given with the order). Against Namecheap’s live API the ten `REGISTRAR_CONTACT_*` settings must be set: their defaults are placeholders, and the start refuses naming the ones left unset.',
  {
    SUPPORT_EMAIL: z.email().default('support@conciergerie.example').describe('shown to customers in every email and page'),
    OPERATOR_EMAIL: optionalString.pipe(z.email().optional()).meta(
      about('where alerts and the daily report go; with `NODE_ENV=production`, it or `ALERT_WEBHOOK_URL` must be set', {
        shownDefault: '`ops@conciergerie.example` (none in production)',
      }),
    ),
    REGISTRAR_CONTACT_FIRST_NAME: z.string().default('Camille').describe('first name of the admin, tech and billing contact'),
    REGISTRAR_CONTACT_LAST_NAME: z.string().default('Martin').describe('its last name'),
    REGISTRAR_CONTACT_ORGANIZATION: z
      .string()
      .min(1)
      .default('Conciergerie SAS')
      .describe('its organisation (AFNIC wants one on the tech contact of every .fr name, even a person’s)'),
    REGISTRAR_CONTACT_ADDRESS: z.string().default('10 rue de la Paix').describe('its street address'),
    REGISTRAR_CONTACT_CITY: z.string().default('Paris').describe('its city'),
    REGISTRAR_CONTACT_STATE: z.string().default('Paris').describe('its state or province'),
    REGISTRAR_CONTACT_POSTAL_CODE: z.string().default('75002').describe('its postal code'),
    REGISTRAR_CONTACT_COUNTRY: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as FR')
      .default('FR')
      .describe('its country, ISO 3166 alpha-2 (AFNIC wants the admin contact of a .fr name in the EU, the EEA or Switzerland)'),
    REGISTRAR_CONTACT_PHONE: z
      .string()
      .regex(/^\+\d{1,3}\.\d{4,14}$/, 'must look like +33.123456789')
      .default('+33.123456789')
      .describe('its phone, as registrars write it (`+CC.NUMBER`)'),
    REGISTRAR_CONTACT_EMAIL: z.email().default('domains@conciergerie.example').describe('its email address'),
  },
);

/** The operator's contact settings, in the order the registrar's contact takes them. */
export const REGISTRAR_CONTACT_SETTINGS = [
  'REGISTRAR_CONTACT_FIRST_NAME',
  'REGISTRAR_CONTACT_LAST_NAME',
  'REGISTRAR_CONTACT_ORGANIZATION',
  'REGISTRAR_CONTACT_ADDRESS',
  'REGISTRAR_CONTACT_CITY',
  'REGISTRAR_CONTACT_STATE',
  'REGISTRAR_CONTACT_POSTAL_CODE',
  'REGISTRAR_CONTACT_COUNTRY',
  'REGISTRAR_CONTACT_PHONE',
  'REGISTRAR_CONTACT_EMAIL',
] as const;

/** the default phone number, a made-up one */
const PLACEHOLDER_PHONE = '+33.123456789';
/** domains reserved for examples and tests (RFC 2606, RFC 6761): mail there reaches nobody */
const RESERVED_DOMAIN = /(^|\.)(example|test|invalid|localhost)$|^example\.(com|net|org)$/i;

export const isReservedAddress = (address: string) => RESERVED_DOMAIN.test(address.split('@').pop() ?? '');

/**
 * The contact settings still holding a placeholder: left unset (the defaults are made up), the made-up phone, or an
 * address at a reserved domain. The registrar publishes them to the registries, so against the live API they must be true.
 */
export function placeholderContacts(env: NodeJS.ProcessEnv, values: { REGISTRAR_CONTACT_PHONE: string; REGISTRAR_CONTACT_EMAIL: string }): string[] {
  return REGISTRAR_CONTACT_SETTINGS.filter(
    (name) =>
      !env[name]?.trim() ||
      (name === 'REGISTRAR_CONTACT_PHONE' && values.REGISTRAR_CONTACT_PHONE === PLACEHOLDER_PHONE) ||
      (name === 'REGISTRAR_CONTACT_EMAIL' && isReservedAddress(values.REGISTRAR_CONTACT_EMAIL)),
  );
}

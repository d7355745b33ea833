// Settings of what we sell: prices and deadlines, how a name's availability is checked, what a customer may upload.
import { z } from 'zod';
import { THREE_DECIMALS } from '../domain/money.ts';
import { group, int, optionalString, tldPrices } from './parse.ts';

export const pricing = group(
  'Pricing and deadlines',
  'What an order costs, in integer cents of one currency, and how long after payment its site is live at the latest.',
  {
    CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
      .refine((c) => !THREE_DECIMALS.has(c), 'three-decimal currencies (BHD, JOD, KWD, ...) are not supported: PayPal takes none of them')
      .default('EUR')
      .describe('ISO 4217 currency of every price; prices are in its minor unit (cents; whole units for JPY, HUF, TWD and other zero-decimal currencies)'),
    TLD_PRICES: tldPrices
      .prefault('fr:1200,com:1400,net:1600,org:1500,eu:1000,io:4500,shop:3500')
      .describe('the TLDs we sell and their first-year price in cents, `tld:cents` separated by commas'),
    SERVICE_PRICE_CENTS: int(14900).describe('our service, in cents'),
    EXPRESS_SURCHARGE_CENTS: int(9900).describe('the express surcharge, in cents'),
    PREMIUM_MAX_CENTS: int(50000).describe('premium names dearer than this (first year, cents) are refused; `0` refuses them all'),
    EXPRESS_HOURS: z.coerce
      .number()
      .positive()
      .max(8760)
      .default(4)
      .describe('the express deadline, counted from payment; fractions allowed (`0.05` is 3 minutes, as the chaos run uses; `0.005` is 18 seconds, for tests)'),
    STANDARD_HOURS: z.coerce.number().positive().max(8760).default(24).describe('the standard deadline, counted from payment; fractions allowed'),
    DOMAIN_CHOICE_HOURS: int(24).describe('how long a customer has to pick another name when theirs was taken at purchase time'),
    OFFER_RETRY_TRIES: int(6).describe(
      'when a name is taken at purchase time and no source could say which other names are free, how many times the search is tried again (1, 2, 4 … times `OFFER_RETRY_BASE_SECONDS` apart, never past the order’s deadline) before the order is refunded',
    ),
    OFFER_RETRY_BASE_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(60)
      .describe('the first wait before the search for other names is tried again; each next wait doubles'),
  },
);

export const availability = group(
  'Domain availability',
  'Whether a name is free: RDAP through the IANA bootstrap, whois as fallback, the registrar as last resort; and the search for alternatives when it is taken.',
  {
    AVAILABILITY_BUDGET_MS: int(3000).describe('total time budget of an alternatives search'),
    AVAILABILITY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8).describe('availability checks in flight at once'),
    AVAILABILITY_TIMEOUT_MS: int(2000).describe('one RDAP, whois or registrar call'),
    CHECK_ANSWER_MS: int(1000).describe(
      'a customer’s name check (`GET /api/domains/check`) answers within this, alternatives included: what RDAP, whois or the registrar did not say by then is marked unconfirmed or left out, and the order confirms it',
    ),
    AVAILABILITY_CACHE_SECONDS: int(60).describe(
      'how long an RDAP or whois answer for a name is reused by every check of the process (lookups in flight are shared too); 0 keeps none',
    ),
    AVAILABILITY_LOOKUPS_IN_FLIGHT: z.coerce
      .number()
      .int()
      .min(1)
      .max(1024)
      .default(64)
      .describe(
        'RDAP and whois lookups one process makes at once, every check together: the name a customer asked for goes first, then alternatives by their rank in their own search (every customer’s best candidates before anyone’s next ones), and one whose check has answered meanwhile is never made',
      ),
    REGISTRAR_CONFIRM_WAIT_MS: int(1000).describe(
      'how long a name check waits for the registrar’s word (its API budget may be spent); past it the answer is RDAP’s or whois’s, marked unconfirmed, and the order confirms it',
    ),
    REGISTRAR_CHECK_GATHER_MS: int(25).describe(
      'names asked for by every process within this window go to the registrar together (`domains.check`, 50 names a call at most)',
    ),
    REGISTRAR_CHECK_HOLD_MS: int(600).describe(
      'once half of a minute’s (or an hour’s, or a day’s) registrar budget for checks is spent, names wait this long for others to share their `domains.check` call: fewer, fuller calls, still within `REGISTRAR_CONFIRM_WAIT_MS`',
    ),
    REGISTRAR_CHECK_CACHE_SECONDS: int(60).describe('how long the registrar’s answer for a name is reused for every other check of it'),
    RDAP_BOOTSTRAP_FILE: optionalString.describe(
      'an IANA RDAP bootstrap file to use instead of the one shipped in `src/providers/availability/rdap/bootstrap-dns.json` (`npm run rdap:refresh` downloads a fresh copy); setting it takes availability out of the sandbox world',
    ),
    WHOIS_SERVER: optionalString.describe(
      'a whois server (`host:port`) to ask instead of each TLD’s own; setting it takes availability out of the sandbox world',
    ),
  },
);

export const siteContent = group(
  'Site content',
  'Limits on what a customer uploads: a static site as a ZIP archive, a logo and pictures. Each is checked by its content, not by its name.',
  {
    ARCHIVE_MAX_MB: z.coerce.number().int().min(1).max(1024).default(50).describe('largest static-site ZIP accepted at order time (MiB, as uploaded)'),
    ARCHIVE_MAX_FILES: z.coerce.number().int().min(1).max(100_000).default(2000).describe('most files one archive may hold'),
    ARCHIVE_MAX_UNCOMPRESSED_MB: z.coerce
      .number()
      .int()
      .min(1)
      .max(4096)
      .default(250)
      .describe('all of an archive’s files together once inflated (MiB), counted while inflating (zip bombs)'),
    ARCHIVE_MAX_RATIO: z.coerce
      .number()
      .int()
      .min(2)
      .max(100_000)
      .default(100)
      .describe('largest inflated/compressed ratio of one archive entry past its first MiB (zip bombs)'),
    IMAGE_MAX_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(5_000_000).describe('largest logo or picture, in bytes'),
    IMAGE_MAX_DIMENSION: z.coerce.number().int().min(16).max(20_000).default(6000).describe('largest width or height of a logo or picture, in pixels'),
  },
);

// Settings of how the work runs: the pipeline's workers and patience, and the API's limits under load.
import { z } from 'zod';
import { about, bool, group, int, rateLimits } from './parse.ts';

export const pipeline = group(
  'Pipeline',
  'The workers that run each order’s steps as graphile-worker jobs, how a failed step is retried, how long a wait may last, and how dead workers are found.',
  {
    RUN_WORKER: bool.prefault('true').describe('`false` starts the API without workers'),
    WORKER_CONCURRENCY: z.coerce
      .number()
      .int()
      .min(1)
      .max(200)
      .default(20)
      .describe(
        'jobs one process runs at once (steps mostly wait on providers and the database); on 2 cores 20 ran 10-14 % more steps a second than 10, and 30 no more ([decision 0003](decisions/0003-worker-concurrency.md))',
      ),
    STEP_MAX_ATTEMPTS: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(12)
      .describe('transient failures a step tolerates before the order is refunded (a 429 is not one: the step waits as told, up to `WAIT_MAX_MINUTES`)'),
    RETRY_BASE_MS: int(2000).describe('first retry delay; each next one doubles, with jitter, up to `RETRY_MAX_MS`'),
    RETRY_MAX_MS: int(300_000).describe('the longest retry delay'),
    DNS_POLL_MS: int(30_000).describe('how often to look again while DNS, the certificate or the site is not there yet'),
    HOST_POLL_MS: int(2000).describe(
      'how soon to look again at what the host is working on (a deploy it is processing, a certificate it is issuing); later looks wait half as long as it has taken so far, up to 30 s (or `DNS_POLL_MS` when longer)',
    ),
    WAIT_MAX_MINUTES: int(120).describe('give up waiting for DNS, the certificate or the site to answer after this long (then refund)'),
    HEARTBEAT_SECONDS: z.coerce.number().int().min(1).default(5).describe('how often each worker writes its heartbeat'),
    WORKER_STALE_SECONDS: z.coerce
      .number()
      .int()
      .min(2)
      .default(30)
      .describe('a worker whose heartbeat is older than this is taken for dead and its jobs are freed'),
    SWEEP_SECONDS: z.coerce.number().int().min(1).default(10).describe('how often the recovery sweeper runs'),
  },
);

export const httpLimits = group(
  'HTTP limits',
  'What one client, and all clients together, may ask of an API process: rate limits per client address and minute, live streams held open, requests worked on at once.',
  {
    RATE_LIMIT_SCALE: z.coerce
      .number()
      .positive()
      .max(100_000)
      .default(1)
      .describe('multiplies every HTTP rate limit (load tests, where all requests come from one address); 1 in production'),
    RATE_LIMITS: rateLimits.prefault('').meta(
      about('per-name overrides of the HTTP rate limits per client and minute, e.g. `status:600,order:10` (names and defaults below)', {
        shownDefault: 'unset',
      }),
    ),
    RATE_LIMIT_STORE: z
      .enum(['postgres', 'memory'])
      .default('postgres')
      .describe('where the rate limits count: `postgres` (one count per client for every API process), `memory` (each process its own)'),
    SSE_MAX_STREAMS_PER_TOKEN: z.coerce
      .number()
      .int()
      .min(1)
      .default(8)
      .describe('live streams (SSE) one order’s tracking token may hold open at once, per API process; past that `429 too_many_streams`'),
    SSE_MAX_STREAMS_PER_ADDRESS: z.coerce.number().int().min(1).default(40).describe('live streams one client address may hold open at once, per API process'),
    ADMISSION_MAX_IN_FLIGHT: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(32)
      .describe(
        'orders one API process works on at once; more wait in line ([decision 0006](decisions/0006-admission-control.md)); domain checks have their own count, `ADMISSION_CHECK_MAX_IN_FLIGHT`',
      ),
    ADMISSION_CHECK_MAX_IN_FLIGHT: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(64)
      .describe(
        'domain checks one API process works on at once; more wait in line. A check answers within `CHECK_ANSWER_MS` of its arrival and its lookups share `AVAILABILITY_LOOKUPS_IN_FLIGHT`, so one more in flight adds a wait, not work',
      ),
    ADMISSION_MAX_WAIT_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(1000)
      .describe(
        'how long a request waits in that line before `503 busy` with `Retry-After` (nothing stored; the web form sends the same request again by itself)',
      ),
  },
);

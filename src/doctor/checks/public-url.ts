// PUBLIC_URL: what customers reach (emails, payment return links, webhooks). In production it must answer over HTTPS
// (GET /healthz); elsewhere an http:// address is only said.
import { goingLive, type DoctorContext } from '../context.ts';
import { describeError, findings, type Finding } from '../report.ts';

export async function checkPublicUrl(ctx: DoctorContext): Promise<Finding[]> {
  const { config } = ctx;
  const f = findings('PUBLIC_URL', config.NODE_ENV);
  const url = config.publicUrl;
  const named = config.PUBLIC_URL ? url : `${url} (PUBLIC_URL unset)`;
  const https = url.startsWith('https://');
  if (!goingLive(config)) {
    return [
      https
        ? f.ok('https', `${named} (not fetched outside production)`)
        : f.warning('https', `${named} is not https`, 'production needs PUBLIC_URL=https://… reaching this app'),
    ];
  }
  if (!https) return [f.failure('answers over HTTPS', `${named} is not https`, 'serve the app behind HTTPS and set PUBLIC_URL=https://your-domain')];
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000), redirect: 'manual' });
    const body = (await res.json().catch(() => ({}))) as { ok?: unknown };
    if (res.status === 200 && body.ok === true) return [f.ok('answers over HTTPS', `GET ${url}/healthz: 200`)];
    return [
      f.failure('answers over HTTPS', `GET ${url}/healthz: HTTP ${res.status}, not this app's answer`, 'point PUBLIC_URL (DNS, reverse proxy) at this app'),
    ];
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? describeError(err);
    return [
      f.failure(
        'answers over HTTPS',
        `GET ${url}/healthz: ${why}`,
        'start the app (npm start) and check DNS, the reverse proxy and the TLS certificate for PUBLIC_URL',
      ),
    ];
  }
}

// Netlify: the token is accepted. One read: GET /api/v1/user.
import { ProviderError } from '../../errors.ts';
import { NetlifyHosting } from '../../providers/hosting/netlify/client.ts';
import type { DoctorContext } from '../context.ts';
import { describeError, findings, type Finding } from '../report.ts';

export async function checkNetlify(ctx: DoctorContext): Promise<Finding[]> {
  const mode = ctx.config.modes.netlify;
  const f = findings('Netlify', mode);
  const hosting = ctx.providers.hosting;
  if (!(hosting instanceof NetlifyHosting)) throw new Error('the hosting adapter is not NetlifyHosting');
  try {
    const user = await hosting.currentUser();
    return [f.ok('token accepted', `GET /user: ${user.email || user.fullName}, ${user.siteCount} site(s)`)];
  } catch (err) {
    const refused = err instanceof ProviderError && err.code === 'auth_failed';
    const fix = refused
      ? 'create a personal access token (Netlify → User settings → Applications → Personal access tokens) and set NETLIFY_AUTH_TOKEN'
      : 'check NETLIFY_BASE_URL and that Netlify is reachable from here';
    return [f.failure('token accepted', describeError(err), fix)];
  }
}

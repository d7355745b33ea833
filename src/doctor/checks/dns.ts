// The DNS resolver the pipeline waits on (wait_dns, verify_site): it resolves a name it must know.
import { createResolver } from '../../providers/dns/resolver.ts';
import { PARKING_ADDRESS, PARKING_HOST } from '../../sandbox/dns/server.ts';
import type { DoctorContext } from '../context.ts';
import { describeError, findings, type Finding } from '../report.ts';

export async function checkDns(ctx: DoctorContext): Promise<Finding[]> {
  const mode = ctx.config.modes.dns;
  const f = findings('DNS resolver', mode);
  // the sandbox DNS answers Namecheap's parking host; the system's resolvers must find the hosting API the pipeline calls
  const sandbox = mode === 'sandbox';
  const name = sandbox ? PARKING_HOST : new URL(ctx.config.NETLIFY_BASE_URL).hostname;
  const resolver = createResolver(sandbox ? { server: { host: '127.0.0.1', port: ctx.world!.dns.port } } : {});
  const where = sandbox ? `the sandbox DNS (${ctx.world!.dns.url})` : "the system's resolvers";
  try {
    const addresses = await resolver.resolve4(name);
    const expected = !sandbox || addresses.includes(PARKING_ADDRESS);
    if (addresses.length && expected) return [f.ok('resolves a known name', `${name} → ${addresses.join(', ')} through ${where}`)];
    return [
      f.failure(
        'resolves a known name',
        `${name} has no A record through ${where}`,
        sandbox ? 'restart the sandbox world (npm start)' : 'check the resolvers in /etc/resolv.conf',
      ),
    ];
  } catch (err) {
    return [
      f.failure(
        'resolves a known name',
        `${name} through ${where}: ${describeError(err)}`,
        sandbox ? 'restart the sandbox world (npm start)' : 'check the resolvers in /etc/resolv.conf and that DNS (port 53) is reachable',
      ),
    ];
  }
}

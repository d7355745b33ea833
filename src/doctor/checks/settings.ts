// The setting groups a live installation needs: the sandbox switch, the admin login, where alerts go, and the contacts
// (the registrar's admin/tech/billing contact, support, sender) whose defaults are placeholders. In production a
// placeholder is a failure naming the setting; elsewhere a warning saying what going live will ask for.
import type { Config } from '../../config.ts';
import { goingLive, type DoctorContext } from '../context.ts';
import { findings, type Finding } from '../report.ts';
import { isReservedAddress, placeholderContacts } from '../../config/core.ts';

const addressIn = (value: string) => (/<([^>]+)>/.exec(value)?.[1] ?? value).trim();
const reserved = isReservedAddress;
const unset = (env: NodeJS.ProcessEnv, name: string) => !env[name]?.trim();

export function checkSettings(ctx: DoctorContext): Finding[] {
  const { config, env } = ctx;
  const f = findings('Settings', config.NODE_ENV);
  const live = goingLive(config);
  // what is not ready for production: a failure when going live, a warning otherwise
  const notReady = (group: string, checked: string, detail: string, fix: string) =>
    live ? findings(group, config.NODE_ENV).failure(checked, detail, fix) : findings(group, config.NODE_ENV).warning(checked, detail, fix);
  const out: Finding[] = [];

  const implied = env.SANDBOX === undefined && config.NODE_ENV === 'production' ? ' (NODE_ENV=production)' : '';
  out.push(
    config.NODE_ENV === 'production' && config.SANDBOX === 'on'
      ? f.warning(
          'SANDBOX',
          'on: a demonstration installation, on the sandbox world',
          'to go live, give every provider its live credentials and remove SANDBOX=on',
        )
      : f.ok('SANDBOX', `${config.SANDBOX}${implied}`),
  );

  const admin = findings('Admin', config.NODE_ENV);
  const token = config.ADMIN_TOKEN ? 'ADMIN_TOKEN set' : 'token generated into DATA_DIR/admin-token by npm start';
  const password = config.ADMIN_PASSWORD ? 'ADMIN_PASSWORD set' : 'password generated into DATA_DIR/admin-password';
  out.push(admin.ok('admin login', `${token}; ${password}`));

  out.push(alerts(config, notReady));

  // the same placeholders the start refuses against Namecheap's live API (src/config/core.ts)
  const registrar = placeholderContacts(env, config);
  out.push(
    registrar.length
      ? notReady(
          'Registrar contact',
          'admin, tech and billing contact of every domain',
          `placeholder values: ${registrar.join(', ')}`,
          'set them to your company, which the registrar publishes to the registries as each domain’s admin, tech and billing contact (the customer is the registrant): they must be true',
        )
      : findings('Registrar contact', config.NODE_ENV).ok(
          'admin, tech and billing contact of every domain',
          `${config.REGISTRAR_CONTACT_ORGANIZATION}, ${config.REGISTRAR_CONTACT_EMAIL}`,
        ),
  );

  const contacts = [
    (unset(env, 'SUPPORT_EMAIL') || reserved(config.SUPPORT_EMAIL)) && 'SUPPORT_EMAIL',
    (unset(env, 'MAIL_FROM') || reserved(addressIn(config.MAIL_FROM))) && 'MAIL_FROM',
  ].filter((s): s is string => !!s);
  out.push(
    contacts.length
      ? notReady('Operator contacts', 'shown to customers', `placeholder values: ${contacts.join(', ')}`, 'set them to addresses of your own domain')
      : findings('Operator contacts', config.NODE_ENV).ok('shown to customers', `support ${config.SUPPORT_EMAIL}; mail from ${config.MAIL_FROM}`),
  );
  return out;
}

function alerts(config: Config, notReady: (group: string, checked: string, detail: string, fix: string) => Finding): Finding {
  const f = findings('Alerts', config.NODE_ENV);
  const email = config.OPERATOR_EMAIL;
  const hook = config.ALERT_WEBHOOK_URL ? `webhook to ${new URL(config.ALERT_WEBHOOK_URL).host}` : undefined;
  if (email && reserved(email) && !hook) {
    return notReady(
      'Alerts',
      'alerts and reports reach someone',
      `OPERATOR_EMAIL is ${email}, an example address`,
      'set OPERATOR_EMAIL to an address someone reads (or ALERT_WEBHOOK_URL)',
    );
  }
  const where = [email && !reserved(email) ? `email to ${email}` : undefined, hook].filter(Boolean).join(' and ');
  return f.ok('alerts and reports reach someone', where);
}

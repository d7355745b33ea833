// SMTP: every route mail takes greets (EHLO) and authenticates, sending nothing; with --send-test, one message goes to
// OPERATOR_EMAIL through them, as the outbox sends.
import crypto from 'node:crypto';
import { FallbackMailTransport, SmtpTransport } from '../../providers/mail/smtp/transport.ts';
import { smtpRoutes } from '../../providers/wiring.ts';
import type { MailTransport } from '../../providers/mail/index.ts';
import { ProviderError } from '../../errors.ts';
import type { DoctorContext } from '../context.ts';
import { describeError, findings, type Finding } from '../report.ts';

const FIX: Record<string, string> = {
  auth: 'check the user and password in the URL (smtp://user:password@host:port)',
  tls: 'check the port and the scheme: smtps:// for implicit TLS (465), smtp:// with STARTTLS (587)',
};

export async function checkSmtp(ctx: DoctorContext): Promise<Finding[]> {
  const { config } = ctx;
  const routes = smtpRoutes(config, ctx.world).map((r) => ({
    ...r,
    setting: r.name === 'primary' ? 'SMTP_URL' : 'SMTP_FALLBACK_URL',
    mode: r.name === 'primary' ? config.modes.smtp : 'live',
    transport: new SmtpTransport({ url: r.url, from: config.MAIL_FROM, name: r.name, timeoutMs: 10_000 }),
  }));
  try {
    const out: Finding[] = [];
    for (const route of routes) {
      const f = findings('SMTP', route.mode);
      const u = new URL(route.url);
      const where = `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}`;
      const checked = `${route.setting === 'SMTP_URL' ? '' : 'fallback route '}greets and authenticates`;
      try {
        await route.transport.verify();
        if (!u.username && route.mode !== 'sandbox') {
          out.push(
            f.warning(
              checked,
              `${where} greets; no AUTH configured`,
              `the relay must accept our mail without AUTH; most need a user and password in ${route.setting}`,
            ),
          );
        } else out.push(f.ok(checked, `${where}: EHLO and AUTH accepted`));
      } catch (err) {
        const code = err instanceof ProviderError ? err.code : '';
        out.push(
          f.failure(
            checked,
            `${where}: ${describeError(err)}`,
            `${FIX[code] ?? 'check the host and port, and that the server is reachable from here'} (${route.setting})`,
          ),
        );
      }
    }
    if (ctx.sendTest)
      out.push(
        await sendTest(
          ctx,
          routes[0].transport,
          routes.slice(1).map((r) => r.transport),
        ),
      );
    return out;
  } finally {
    for (const route of routes) route.transport.close();
  }
}

async function sendTest(ctx: DoctorContext, primary: MailTransport, fallbacks: MailTransport[]): Promise<Finding> {
  const f = findings('SMTP', ctx.config.modes.smtp);
  const to = ctx.config.OPERATOR_EMAIL;
  if (!to) return f.warning('test message (--send-test)', 'no OPERATOR_EMAIL to send it to', 'set OPERATOR_EMAIL');
  const mail = fallbacks.length ? new FallbackMailTransport([primary, ...fallbacks]) : primary;
  const host = new URL(ctx.config.publicUrl).hostname;
  try {
    const { messageId } = await mail.send({
      to,
      subject: 'Conciergerie : message de test / test message',
      text: 'npm run doctor --send-test : les alertes et le rapport du jour vous parviendront par ce chemin.\n\nnpm run doctor --send-test: alerts and the daily report will reach you this way.\n',
      html: '<p>npm run doctor --send-test : les alertes et le rapport du jour vous parviendront par ce chemin.</p><p lang="en">npm run doctor --send-test: alerts and the daily report will reach you this way.</p>',
      messageId: `<doctor.${crypto.randomUUID()}@${host}>`,
    });
    return f.ok('test message (--send-test)', `sent to ${to} (${messageId})`);
  } catch (err) {
    return f.failure(
      'test message (--send-test)',
      `to ${to}: ${describeError(err)}`,
      'see the SMTP failures above; a refusal of the recipient means OPERATOR_EMAIL is wrong',
    );
  }
}

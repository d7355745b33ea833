// The customer's space as routes: sign-in by a one-time link, the session, every order of the address, and the
// domain's DNS records and email forwarding. Every change sends the session's CSRF token as `x-csrf-token`.
import { z } from 'zod';
import { errors, htmlPage } from '../common.ts';
import {
  accountAutoRenewBody,
  accountOverview,
  autoRenewChanged,
  orderParam,
  dnsChanged,
  dnsRecordInput,
  dnsRecords,
  domainParam,
  emailForwarding,
  forwardingInput,
  forwardingParams,
  holderState,
  holderUpdate,
  holderUpdated,
  mailPresets,
  recordParams,
  sessionOpened,
  sessionRequest,
  sessionState,
  signInAccepted,
  signInRequest,
  transferOut,
} from '../account.ts';
import { MAIL_PRESET_IDS } from '../../domain/mail-presets.ts';
import { erasureRequest, erasureResult } from '../legal.ts';
import { personalDataExport } from './legal.ts';

const signedIn = { 401: '`not_signed_in`: no session, or it expired' } as const;
const changes = { ...signedIn, 403: '`csrf_mismatch`: the x-csrf-token header is not the session’s' } as const;
const ownDomain = '`account_domain_not_found`: not a delivered domain of this address (another customer’s is not found either)';
const registrarDown = '`temporarily_unavailable`: the registrar does not answer; nothing was changed';
const security = [{ accountSession: [] }];

export const accountRoutes = {
  'POST /api/account/login': {
    tags: ['account'],
    summary:
      'Ask for a sign-in link: always 202, the same answer whether the address has orders or not; when it has, a link to /espace or /account (the newest order’s language) is emailed, single-use, valid 15 minutes. Limited per client address and per email address.',
    body: signInRequest,
    response: {
      202: signInAccepted.describe('asked: a link is on its way if the address has orders'),
      ...errors({ 422: '`email_invalid`, `field_unknown`', 429: 'rate_limited: per client address, or for this email address' }),
    },
  },
  'POST /api/account/session': {
    tags: ['account'],
    summary: 'Exchange the link’s token for a session: sets the HttpOnly, SameSite=Strict cookie (Secure outside loopback) and answers the CSRF token.',
    body: sessionRequest,
    response: {
      200: sessionOpened.describe('signed in: the cookie is set'),
      ...errors({ 400: '`sign_in_link_invalid`: no such link', 410: '`sign_in_link_expired` (after 15 minutes), `sign_in_link_used` (it works once)' }),
    },
  },
  'GET /api/account/session': {
    tags: ['account'],
    summary: 'The current session and its CSRF token (the page reloaded keeps working).',
    security,
    response: { 200: sessionState.describe('the session: its address, CSRF token and end'), ...errors(signedIn) },
  },
  'POST /api/account/logout': {
    tags: ['account'],
    summary: 'Sign out: the session ends and its cookie is cleared.',
    security,
    response: { 204: z.undefined().describe('signed out'), ...errors(changes) },
  },
  'GET /api/account': {
    tags: ['account'],
    summary: 'Every order of the signed-in address, newest first, with its site, registration expiry, uptime and open incident.',
    security,
    response: { 200: accountOverview.describe('the address and its orders'), ...errors(signedIn) },
  },
  'POST /api/account/orders/:id/auto-renew': {
    tags: ['account'],
    summary:
      'Turn automatic yearly renewal of an order of the signed-in address on or off. Off: nothing is charged, the site stays until expiry and the reminders carry a payment link; on again: the consent is recorded anew and the saved method is charged on the charge date (at the next scan if it is past).',
    security,
    params: orderParam,
    body: accountAutoRenewBody,
    response: {
      200: autoRenewChanged.describe('the renewal as it now stands'),
      ...errors({
        ...changes,
        404: '`order_not_found`: not an order of this address (another customer’s is not found either); `renewal_not_found`: not delivered yet',
        409: '`renewal_closed`: the domain was not renewed in time, or left us',
        422: '`field_invalid` (`on` is not a boolean, or a field other than `on`), `field_required` (no `on`)',
      }),
    },
  },
  'GET /api/account/personal-data': {
    tags: ['account'],
    summary: 'Everything we hold about the signed-in address, as a JSON download (GDPR art. 15 and 20): the same export as the tracking page’s.',
    security,
    response: { 200: personalDataExport.describe('the data, as an attachment'), ...errors(signedIn) },
  },
  'POST /api/account/erasure': {
    tags: ['account'],
    summary:
      'Erase the personal data of every order of the signed-in address (GDPR art. 17), as the tracking page’s erasure does; the address’s sessions end with it and the cookie is cleared.',
    security,
    body: erasureRequest,
    response: {
      200: erasureResult.describe('erased (or already erased): what is kept and why'),
      ...errors({ ...changes, 409: '`erasure_order_in_progress`: a paid order is being worked on', 422: '`erasure_not_confirmed`' }),
    },
  },
  'GET /api/account/domains/:domain/dns': {
    tags: ['account'],
    summary: 'The domain’s DNS records, as the registrar holds them now.',
    security,
    params: domainParam,
    response: { 200: dnsRecords.describe('the records and where the email goes'), ...errors({ ...signedIn, 404: ownDomain, 503: registrarDown }) },
  },
  'POST /api/account/domains/:domain/dns': {
    tags: ['account'],
    summary:
      'Add one record: checked (syntax, TTL bounds, no CNAME at the apex or beside other records), merged into the registrar’s current set and written whole, one change per domain at a time; then looked up through DNS (`propagated`).',
    security,
    params: domainParam,
    body: dnsRecordInput,
    response: {
      201: dnsChanged.describe('added: the whole set as written, the record, and whether DNS answers it yet'),
      ...errors({
        ...changes,
        404: ownDomain,
        409: '`dns_record_exists`, `dns_cname_conflict`, `dns_record_protected` (the site’s apex address), `dns_too_many_records`, `mail_routing_conflict`',
        422: 'a field that does not hold: `dns_host_invalid`, `dns_ipv4_invalid`, `dns_ipv6_invalid`, `dns_target_invalid`, `dns_txt_invalid`, `dns_cname_at_apex`, `number_out_of_range`, …',
        503: registrarDown,
      }),
    },
  },
  'POST /api/account/domains/:domain/dns/presets/:preset': {
    tags: ['account'],
    summary: `Add a mail provider’s records (MX and SPF, from its own documentation) in one change: ${MAIL_PRESET_IDS.join(', ')}. Records already there are kept as they are.`,
    security,
    params: domainParam.extend({ preset: z.enum(MAIL_PRESET_IDS) }),
    response: {
      201: dnsChanged.describe('added: the whole set as written, and whether DNS answers it yet'),
      ...errors({ ...changes, 404: ownDomain, 409: '`dns_cname_conflict`, `dns_too_many_records`, `mail_routing_conflict`', 503: registrarDown }),
    },
  },
  'GET /api/account/dns-presets': {
    tags: ['account'],
    summary:
      'The mail providers’ presets: their MX and SPF records as each documents them, with the page they come from ({domain-dashed} is the domain with hyphens).',
    response: { 200: mailPresets.describe('the presets'), ...errors() },
  },
  'PUT /api/account/domains/:domain/dns/:id': {
    tags: ['account'],
    summary:
      'Change one record (its value, TTL, priority, name or type): the old one replaced by the new in one write, checked as an addition is against the others.',
    security,
    params: recordParams,
    body: dnsRecordInput,
    response: {
      200: dnsChanged.describe('changed: the set as written, the new record, and whether DNS already answers the change'),
      ...errors({
        ...changes,
        404: `${ownDomain}; \`dns_record_not_found\``,
        409: '`dns_record_protected`, `dns_record_exists`, `dns_cname_conflict`, `mail_routing_conflict`',
        422: 'a field that does not hold, as for an addition',
        503: registrarDown,
      }),
    },
  },
  'DELETE /api/account/domains/:domain/dns/:id': {
    tags: ['account'],
    summary: 'Remove one record (by the id the list gives); the records that serve the site are protected.',
    security,
    params: recordParams,
    response: {
      200: dnsChanged.describe('removed: the set as written, and whether DNS no longer answers it'),
      ...errors({ ...changes, 404: `${ownDomain}; \`dns_record_not_found\``, 409: '`dns_record_protected`', 503: registrarDown }),
    },
  },
  'GET /api/account/domains/:domain/email-forwarding': {
    tags: ['account'],
    summary: 'The domain’s email forwards, and whether its email goes to them.',
    security,
    params: domainParam,
    response: { 200: emailForwarding.describe('the forwards'), ...errors({ ...signedIn, 404: ownDomain, 503: registrarDown }) },
  },
  'POST /api/account/domains/:domain/email-forwarding': {
    tags: ['account'],
    summary: 'Forward <mailbox>@<domain> (contact by default) to the signed-in address, through the registrar’s forwarding.',
    security,
    params: domainParam,
    body: forwardingInput,
    response: {
      200: emailForwarding.describe('forwarding on, with every forward'),
      ...errors({
        ...changes,
        404: ownDomain,
        409: '`mail_routing_conflict`: the domain’s mail goes to MX records',
        422: '`field_invalid`',
        503: registrarDown,
      }),
    },
  },
  'GET /api/account/domains/:domain/holder': {
    tags: ['account'],
    summary: 'The domain’s holder (registrant) as the order holds it: what the contact form starts from.',
    security,
    params: domainParam,
    response: { 200: holderState.describe('the holder'), ...errors({ ...signedIn, 404: ownDomain }) },
  },
  'PUT /api/account/domains/:domain/holder': {
    tags: ['account'],
    summary:
      'Update the same holder’s address, phone and email at the registrar (namecheap.domains.setContacts: the registrant; admin, tech and billing stay the operator’s), checked as an order’s holder is. Another person or organisation is a change of holder, which follows the registry’s own procedure: refused.',
    security,
    params: domainParam,
    body: holderUpdate,
    response: {
      200: holderUpdated.describe('updated and read back from the registrar'),
      ...errors({
        ...changes,
        404: ownDomain,
        422: 'each field named: `holder_change_not_allowed` (name, organisation, type, company id, birth date or place: another holder), `holder_phone_invalid`, `holder_country_invalid`, `holder_country_not_eligible`, `field_required`, …; nothing is changed',
        503: registrarDown,
      }),
    },
  },
  'POST /api/account/domains/:domain/transfer': {
    tags: ['account'],
    summary:
      'Take the domain to another registrar (a gTLD not within 60 days of its registration or of a change of registrant): its registrar lock is removed (read first: sending again removes nothing twice; .fr, .eu, .de and .co.uk have none), automatic renewal goes off, and the transfer code reaches the holder’s email from Namecheap, which provides it only from its dashboard (its API has no command that returns it).',
    security,
    params: domainParam,
    response: {
      200: transferOut.describe('the transfer as it stands'),
      ...errors({
        ...changes,
        404: ownDomain,
        409: '`transfer_too_soon`: within 60 days of the registration or of a change of registrant (a gTLD, ICANN’s Transfer Policy); `transferableFrom` says from when; nothing was changed',
        503: registrarDown,
      }),
    },
  },
  'DELETE /api/account/domains/:domain/email-forwarding/:mailbox': {
    tags: ['account'],
    summary: 'Stop forwarding <mailbox>@<domain>; with the last one gone, the domain receives no email.',
    security,
    params: forwardingParams,
    response: {
      200: emailForwarding.describe('the forwards left'),
      ...errors({ ...changes, 404: `${ownDomain}; \`dns_record_not_found\``, 503: registrarDown }),
    },
  },
};

const page = (summary: string) => ({
  tags: ['pages'],
  summary,
  querystring: z.looseObject({ signin: z.string().max(200).optional().describe('a sign-in link’s token, exchanged by the page') }),
  response: { 200: htmlPage('the app'), 503: htmlPage('the front end is not built yet (`npm run build`)'), ...errors() },
});

export const accountPageRoutes = {
  'GET /espace': page('L’espace client : connexion par lien, vos sites, leurs enregistrements DNS'),
  'GET /account': page('The customer space: sign-in by link, your sites, their DNS records'),
};

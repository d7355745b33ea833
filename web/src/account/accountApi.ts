// The customer's space's calls: sign-in, the session, the orders and their renewal switch, a domain's DNS records and email forwarding. Every
// change carries the session's CSRF token, which the page keeps in memory (the cookie itself is HttpOnly).
import type { Body } from '@contract/index.ts';
import { call, urlOf } from '../api.ts';

export type {
  AccountOrder,
  AccountOverview,
  DnsRecordInput,
  DnsRecords,
  DnsRecordView,
  EmailForwarding,
  HolderUpdated,
  MailPresets,
  TransferOut,
} from '@contract/account.ts';

const csrf = (token: string) => ({ 'x-csrf-token': token });

export const accountApi = {
  requestLink: (email: string, lang: 'fr' | 'en') => call('POST /api/account/login', { body: { email, lang }, lang }),
  openSession: (token: string, lang: 'fr' | 'en') => call('POST /api/account/session', { body: { token }, lang }),
  session: () => call('GET /api/account/session'),
  signOut: (token: string) => call('POST /api/account/logout', { headers: csrf(token) }),
  overview: (lang: 'fr' | 'en') => call('GET /api/account', { lang }),
  personalDataUrl: () => urlOf('GET /api/account/personal-data'),
  erasePersonalData: (token: string, lang: 'fr' | 'en') => call('POST /api/account/erasure', { body: { confirm: true }, headers: csrf(token), lang }),
  setAutoRenew: (orderId: string, on: boolean, token: string, lang: 'fr' | 'en') =>
    call('POST /api/account/orders/:id/auto-renew', { params: { id: orderId }, body: { on }, headers: csrf(token), lang }),
  presets: () => call('GET /api/account/dns-presets'),
  records: (domain: string, lang: 'fr' | 'en') => call('GET /api/account/domains/:domain/dns', { params: { domain }, lang }),
  addRecord: (domain: string, body: Body<'POST /api/account/domains/:domain/dns'>, token: string, lang: 'fr' | 'en') =>
    call('POST /api/account/domains/:domain/dns', { params: { domain }, body, headers: csrf(token), lang }),
  changeRecord: (domain: string, id: string, body: Body<'PUT /api/account/domains/:domain/dns/:id'>, token: string, lang: 'fr' | 'en') =>
    call('PUT /api/account/domains/:domain/dns/:id', { params: { domain, id }, body, headers: csrf(token), lang }),
  applyPreset: (domain: string, preset: string, token: string, lang: 'fr' | 'en') =>
    call('POST /api/account/domains/:domain/dns/presets/:preset', { params: { domain, preset }, headers: csrf(token), lang }),
  removeRecord: (domain: string, id: string, token: string, lang: 'fr' | 'en') =>
    call('DELETE /api/account/domains/:domain/dns/:id', { params: { domain, id }, headers: csrf(token), lang }),
  forwarding: (domain: string, lang: 'fr' | 'en') => call('GET /api/account/domains/:domain/email-forwarding', { params: { domain }, lang }),
  enableForwarding: (domain: string, token: string, lang: 'fr' | 'en') =>
    call('POST /api/account/domains/:domain/email-forwarding', { params: { domain }, body: { mailbox: 'contact' }, headers: csrf(token), lang }),
  holder: (domain: string, lang: 'fr' | 'en') => call('GET /api/account/domains/:domain/holder', { params: { domain }, lang }),
  updateHolder: (domain: string, body: Body<'PUT /api/account/domains/:domain/holder'>, token: string, lang: 'fr' | 'en') =>
    call('PUT /api/account/domains/:domain/holder', { params: { domain }, body, headers: csrf(token), lang }),
  transferOut: (domain: string, token: string, lang: 'fr' | 'en') =>
    call('POST /api/account/domains/:domain/transfer', { params: { domain }, headers: csrf(token), lang }),
  disableForwarding: (domain: string, mailbox: string, token: string, lang: 'fr' | 'en') =>
    call('DELETE /api/account/domains/:domain/email-forwarding/:mailbox', { params: { domain, mailbox }, headers: csrf(token), lang }),
};

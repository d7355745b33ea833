// The records common mail providers ask a domain to publish (MX and SPF), each from the provider's own setup page, and
// a domain-verification TXT record. Data only: the web shows them, the account module adds them in one change.
import type { DnsRecordType } from './dns-records.ts';

export interface PresetRecord {
  type: DnsRecordType;
  host: string;
  /** `{domain-dashed}` stands for the domain with its dots as hyphens (Microsoft's per-domain MX host) */
  value: string;
  priority?: number;
}

export interface MailPreset {
  id: string;
  name: string;
  /** the provider's page the values come from */
  source: string;
  records: PresetRecord[];
}

export const MAIL_PRESETS: readonly MailPreset[] = [
  {
    id: 'google',
    name: 'Google Workspace',
    // "Set up MX records for Google Workspace": one MX, smtp.google.com at priority 1 (accounts made since 2023);
    // SPF from "Define your SPF record": include:_spf.google.com
    source: 'https://support.google.com/a/answer/140034',
    records: [
      { type: 'MX', host: '@', value: 'smtp.google.com', priority: 1 },
      { type: 'TXT', host: '@', value: 'v=spf1 include:_spf.google.com ~all' },
    ],
  },
  {
    id: 'microsoft',
    name: 'Microsoft 365',
    // "Add DNS records to connect your domain": MX <domain-key>.mail.protection.outlook.com at priority 0 (the admin
    // center shows the exact key, by default the domain with hyphens), SPF include:spf.protection.outlook.com, and the
    // autodiscover CNAME
    source: 'https://learn.microsoft.com/microsoft-365/admin/get-help-with-domains/create-dns-records-at-any-dns-hosting-provider',
    records: [
      { type: 'MX', host: '@', value: '{domain-dashed}.mail.protection.outlook.com', priority: 0 },
      { type: 'TXT', host: '@', value: 'v=spf1 include:spf.protection.outlook.com -all' },
      { type: 'CNAME', host: 'autodiscover', value: 'autodiscover.outlook.com' },
    ],
  },
  {
    id: 'zoho',
    name: 'Zoho Mail (EU)',
    // "Configure email delivery (MX records)" for the EU data centre: mx.zoho.eu 10, mx2.zoho.eu 20, mx3.zoho.eu 50;
    // "SPF configuration": include:zoho.eu
    source: 'https://www.zoho.com/mail/help/adminconsole/configure-email-delivery.html',
    records: [
      { type: 'MX', host: '@', value: 'mx.zoho.eu', priority: 10 },
      { type: 'MX', host: '@', value: 'mx2.zoho.eu', priority: 20 },
      { type: 'MX', host: '@', value: 'mx3.zoho.eu', priority: 50 },
      { type: 'TXT', host: '@', value: 'v=spf1 include:zoho.eu ~all' },
    ],
  },
  {
    id: 'ovh',
    name: 'OVHcloud (MX Plan, E-mail Pro)',
    // "Ajouter un champ MX à la configuration de son nom de domaine": mx1.mail.ovh.net 1, mx2.mail.ovh.net 5,
    // mx3.mail.ovh.net 100; "Le champ SPF": include:mx.ovh.com
    source: 'https://help.ovhcloud.com/csm/fr-dns-servers-mx-config?id=kb_article_view&sysparm_article=KB0051765',
    records: [
      { type: 'MX', host: '@', value: 'mx1.mail.ovh.net', priority: 1 },
      { type: 'MX', host: '@', value: 'mx2.mail.ovh.net', priority: 5 },
      { type: 'MX', host: '@', value: 'mx3.mail.ovh.net', priority: 100 },
      { type: 'TXT', host: '@', value: 'v=spf1 include:mx.ovh.com ~all' },
    ],
  },
  {
    id: 'proton',
    name: 'Proton Mail',
    // "How to use a custom domain with Proton Mail": mail.protonmail.ch 10, mailsec.protonmail.ch 20,
    // SPF include:_spf.protonmail.ch (its verification TXT is the account's own: the verification preset adds it)
    source: 'https://proton.me/support/custom-domain',
    records: [
      { type: 'MX', host: '@', value: 'mail.protonmail.ch', priority: 10 },
      { type: 'MX', host: '@', value: 'mailsec.protonmail.ch', priority: 20 },
      { type: 'TXT', host: '@', value: 'v=spf1 include:_spf.protonmail.ch ~all' },
    ],
  },
];

export const MAIL_PRESET_IDS = MAIL_PRESETS.map((p) => p.id) as [string, ...string[]];

/** A preset's records for `domain` (its placeholders filled). */
export function presetRecords(preset: MailPreset, domain: string): PresetRecord[] {
  return preset.records.map((r) => ({ ...r, value: r.value.replace('{domain-dashed}', domain.replace(/\./g, '-')) }));
}

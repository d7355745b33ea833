// One valid payload per catalogued task, for the tests that compare how TypeScript and SQL queue them.
import type { Payload, TaskName } from '../../src/workflow/jobs/catalogue.ts';

const ORDER = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const OTHER = '0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e';

export const jobSamples: { [K in TaskName]: Payload<K> } = {
  run_step: { orderId: ORDER, step: 'secure_site' },
  process_webhook: { id: '4711' },
  capture_paypal: { orderId: ORDER, paypalOrderId: '5O190127TN364715T' },
  create_payment_link: { orderId: ORDER, seq: 2 },
  check_payment_link: { linkId: OTHER },
  refund_payment: { orderId: ORDER, provider: 'paypal', paymentRef: '3C679366HH908993F', amountCents: 4900 },
  refund_order: { orderId: ORDER },
  refund_part: { refundId: '00000000-0000-4000-8000-000000000077' },
  remove_unrecorded_site: { orderId: ORDER },
  domain_choice_timeout: { orderId: ORDER, domain: 'boulangerie-dupont.fr' },
  offer_other_names: { orderId: ORDER, attempt: 2 },
  send_email: { emailId: OTHER },
  render_document: { invoiceId: OTHER },
  publish_site: { orderId: ORDER },
  verify_publish: { orderId: ORDER, version: 3, uploaded: 1, files: 11, deployedAt: '2026-03-04T05:06:07.000Z' },
  sweep: {},
  satisfaction_reminders: {},
  erase_expired_data: {},
  evaluate_alerts: {},
  alert_webhook: { notificationId: '42' },
  schedule_site_checks: {},
  check_sites: { batch: 3 },
  check_domains: {},
  renewal_scan: {},
  renewal_setup: { orderId: ORDER },
  renewal_forget: { orderId: ORDER },
  renewal_charge: { attemptId: OTHER },
  renewal_link: { attemptId: OTHER, seq: 2 },
  renewal_register: { attemptId: OTHER },
  renewal_grace: { orderId: ORDER },
  renewal_restore: { orderId: ORDER },
  renewal_lost: { orderId: ORDER },
  renewal_refund: { attemptId: OTHER },
  daily_report: { day: '2026-03-04' },
  account_sign_in: { email: 'marie@example.org', addressKey: '0123456789abcdef0123456789abcdef' },
};

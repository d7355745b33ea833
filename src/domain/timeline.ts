// The order timeline's event types and how each reads to a customer, in French and English.
import type { Locale } from './locale.ts';
// a pure formatter (Intl only), shared with the emails so that a price reads the same in both
import { formatMoney } from '../emails/i18n.ts';
import { toUnicode } from './domain-name.ts';

type Data = Record<string, unknown>;
type Text = (d: Data) => string;

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** "a.fr (12,00 €), b.com (15,00 €)": the names offered with their first-year price, in the reader's language. */
function offered(d: Data, locale: Locale): string {
  const list = Array.isArray(d.alternatives) ? (d.alternatives as { domain?: unknown; priceCents?: unknown; currency?: unknown }[]) : [];
  return list
    .map((a) => {
      const price = Number.isInteger(a.priceCents) && typeof a.currency === 'string' ? ` (${formatMoney(a.priceCents as number, a.currency, locale)})` : '';
      return `${toUnicode(s(a.domain))}${price}`;
    })
    .join(', ');
}

/** The pipeline's steps as a customer reads them. */
export const STEP_LABELS: Record<string, { fr: string; en: string }> = {
  register_domain: { fr: 'Achat du nom de domaine', en: 'Buying the domain' },
  create_site: { fr: 'Création de l’hébergement', en: 'Creating the hosting' },
  deploy_site: { fr: 'Mise en ligne du site', en: 'Deploying the site' },
  point_dns: { fr: 'Configuration du DNS', en: 'Pointing DNS' },
  wait_dns: { fr: 'Propagation du DNS', en: 'Waiting for DNS' },
  secure_site: { fr: 'Certificat HTTPS', en: 'HTTPS certificate' },
  verify_site: { fr: 'Vérification du site', en: 'Checking the site' },
  deliver: { fr: 'Livraison', en: 'Delivery' },
};
const label = (step: unknown, l: Locale) => STEP_LABELS[String(step)]?.[l] ?? String(step);
const PHASES = {
  fr: ['', 'Demande', 'Après paiement', 'Déploiement', 'Finalisation'],
  en: ['', 'Request', 'After payment', 'Deployment', 'Finalisation'],
};

const texts: Record<string, { fr: Text; en: Text }> = {
  order_created: {
    fr: (d) => `Demande reçue pour ${s(d.domain)}.`,
    en: (d) => `Request received for ${s(d.domain)}.`,
  },
  domain_checked: {
    fr: (d) => `Domaine ${s(d.domain)} vérifié : disponible (${s(d.source)}).`,
    en: (d) => `Domain ${s(d.domain)} checked: available (${s(d.source)}).`,
  },
  // an order placed for another name than the one first asked for (src/domain/alternatives.ts)
  requested_domain_taken: {
    fr: (d) =>
      d.reason === 'premium_too_expensive'
        ? `Le nom demandé, ${s(d.domain)}, est un nom « premium » vendu trop cher : il n’est pas proposé.`
        : `Le nom demandé, ${s(d.domain)}, est déjà pris (${s(d.source)}).`,
    en: (d) =>
      d.reason === 'premium_too_expensive'
        ? `The requested name ${s(d.domain)} is a premium name sold at too high a price: it is not offered.`
        : `The requested name ${s(d.domain)} was taken (${s(d.source)}).`,
  },
  alternatives_offered: {
    fr: (d) => (offered(d, 'fr') ? `Noms libres proposés à la place : ${offered(d, 'fr')}.` : `Aucun nom libre proche de ${s(d.requested)} n’a été trouvé.`),
    en: (d) => (offered(d, 'en') ? `Available names offered instead: ${offered(d, 'en')}.` : `No available name close to ${s(d.requested)} was found.`),
  },
  alternative_ordered: {
    fr: (d) => `${s(d.domain)} commandé à la place de ${s(d.requested)}${d.offered === false ? ' (un nom choisi hors des propositions, vérifié libre)' : ''}.`,
    en: (d) => `Ordered ${s(d.domain)} instead of ${s(d.requested)}${d.offered === false ? ' (a name chosen outside the offers, checked available)' : ''}.`,
  },
  payment_link_created: {
    fr: (d) => `Lien de paiement ${d.provider === 'paypal' ? 'PayPal' : 'Stripe'} créé.`,
    en: (d) => `${d.provider === 'paypal' ? 'PayPal' : 'Stripe'} payment link created.`,
  },
  payment_link_failed: {
    fr: () => `Le service de paiement ne répond pas ; nouvel essai automatique.`,
    en: () => `The payment service is not answering; retrying automatically.`,
  },
  payment_link_expired: {
    fr: () => `Le lien de paiement a expiré ; vous pouvez en demander un nouveau.`,
    en: () => `The payment link expired; you can ask for a fresh one.`,
  },
  payment_link_renewed: {
    fr: () => `Nouveau lien de paiement créé.`,
    en: () => `A fresh payment link was created.`,
  },
  email_sent: {
    fr: (d) => `E-mail envoyé : ${s(d.subject)}`,
    en: (d) => `Email sent: ${s(d.subject)}`,
  },
  payment_processing: {
    fr: () => `Paiement en cours de traitement par la banque (prélèvement). Le compte à rebours commencera à sa réception.`,
    en: () => `Payment processing at the bank (direct debit). The clock starts once it arrives.`,
  },
  payment_failed: {
    fr: () => `Le paiement n’a pas abouti ; un nouveau lien de paiement vous a été envoyé.`,
    en: () => `The payment did not go through; a fresh payment link was sent to you.`,
  },
  payment_received: {
    fr: () => `Paiement reçu. Le compte à rebours commence.`,
    en: () => `Payment received. The clock starts now.`,
  },
  step_started: { fr: (d) => `${label(d.step, 'fr')} : en cours.`, en: (d) => `${label(d.step, 'en')}: started.` },
  step_done: {
    fr: (d) => `${label(d.step, 'fr')} : fait${d.uploaded !== undefined ? ` (${s(d.uploaded)} fichier(s) envoyé(s))` : ''}.`,
    en: (d) => `${label(d.step, 'en')}: done${d.uploaded !== undefined ? ` (${s(d.uploaded)} file(s) uploaded)` : ''}.`,
  },
  step_retry: {
    fr: (d) => `${label(d.step, 'fr')} : le service ${s(d.provider ?? '')} ne répond pas (${s(d.code)}) ; nouvel essai dans ${s(d.inSeconds)} s.`,
    en: (d) => `${label(d.step, 'en')}: the ${s(d.provider ?? '')} service is not answering (${s(d.code)}); retrying in ${s(d.inSeconds)} s.`,
  },
  step_waiting: {
    fr: (d) => `${label(d.step, 'fr')} : en attente (${s(d.reason)}).`,
    en: (d) => `${label(d.step, 'en')}: waiting (${s(d.reason)}).`,
  },
  step_requeued: {
    fr: (d) => `${label(d.step, 'fr')} : reprise automatique.`,
    en: (d) => `${label(d.step, 'en')}: resumed automatically.`,
  },
  phase_done: {
    fr: (d) => `Phase ${s(d.phase)} (${PHASES.fr[Number(d.phase)] ?? ''}) terminée.`,
    en: (d) => `Phase ${s(d.phase)} (${PHASES.en[Number(d.phase)] ?? ''}) complete.`,
  },
  delivered: {
    fr: (d) => `Votre site est en ligne : https://${s(d.domain)}/`,
    en: (d) => `Your site is live: https://${s(d.domain)}/`,
  },
  domain_taken: {
    fr: (d) => `${s(d.domain)} a été pris entre notre vérification et l’achat ; choisissez un autre nom (${s(d.alternatives)} proposés).`,
    en: (d) => `${s(d.domain)} was taken between our check and the purchase; please choose another name (${s(d.alternatives)} offered).`,
  },
  alternatives_retry: {
    fr: () => `Ce nom a été pris avant l’achat et nous n’avons pas encore pu vérifier quels autres noms sont libres : nous cherchons encore.`,
    en: () => `This name was taken before the purchase and we could not yet check which other names are free: we are still looking.`,
  },
  domain_changed: {
    fr: (d) => `Nouveau nom choisi : ${s(d.to)}.`,
    en: (d) => `New name chosen: ${s(d.to)}.`,
  },
  order_failed: {
    fr: (d) => `${label(d.step, 'fr')} : impossible d’aboutir (${s(d.code)}). Nous vous remboursons.`,
    en: (d) => `${label(d.step, 'en')}: could not be completed (${s(d.code)}). We are refunding you.`,
  },
  refunded: {
    fr: () => `Remboursement effectué.`,
    en: () => `Refund issued.`,
  },
  refund_delayed: {
    fr: (d) => `Remboursement en cours : le service ${s(d.provider ?? '')} ne répond pas pour l’instant (${s(d.code)}) ; nouvel essai automatique.`,
    en: (d) => `Refund under way: the ${s(d.provider ?? '')} service is not answering for now (${s(d.code)}); it is tried again automatically.`,
  },
  payment_duplicate: {
    fr: () => `Un second paiement est arrivé pour cette commande ; il sera remboursé.`,
    en: () => `A second payment arrived for this order; it will be refunded.`,
  },
  payment_mismatch: {
    fr: () => `Un paiement d’un montant inattendu est arrivé ; il sera remboursé.`,
    en: () => `A payment of an unexpected amount arrived; it will be refunded.`,
  },
  payment_duplicate_refunded: {
    fr: () => `Le second paiement a été remboursé.`,
    en: () => `The second payment was refunded.`,
  },
  domain_purchase_found: {
    fr: (d) => `Le domaine ${s(d.domain)} avait bien été acheté ; c’est noté sur la commande.`,
    en: (d) => `The domain ${s(d.domain)} had been bought after all; it is on the order’s record.`,
  },
  site_found: {
    fr: () => `L’hébergement avait bien été créé ; il est supprimé avec le remboursement.`,
    en: () => `The hosting had been created after all; it is removed with the refund.`,
  },
  admin_action: {
    fr: (d) => `Action de l’équipe : ${s(d.action)}.`,
    en: (d) => `Operator action: ${s(d.action)}.`,
  },
};

export function timelineMessage(type: string, data: Data, locale: Locale): string {
  const t = texts[type];
  return t ? t[locale](data) : type.replace(/_/g, ' ');
}

/** Register the texts of event types defined elsewhere (e.g. the pipeline's steps). */
export function defineTimelineTexts(more: Record<string, { fr: Text; en: Text }>): void {
  Object.assign(texts, more);
}

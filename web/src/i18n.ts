// The customer's words in French and English, and the chosen language (browser first, then the person's own choice, remembered).
import { createContext, useContext } from 'react';

export type Locale = 'fr' | 'en';

const STORAGE_KEY = 'conciergerie.locale';

export function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'fr' || saved === 'en') return saved;
  } catch {
    // storage can be disabled; the browser's language still decides
  }
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const l of langs) {
    const tag = (l ?? '').toLowerCase();
    if (tag === 'fr' || tag.startsWith('fr-')) return 'fr';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not remembered, still switched
  }
}

const fr = {
  brand: 'Conciergerie',
  switchTo: 'English',
  switchToLabel: 'Switch to English',
  skip: 'Aller au contenu',
  hero: {
    kicker: 'Pour les commerces, artisans et indépendants',
    title: 'Votre site en ligne, à votre nom de domaine, sans y penser.',
    lead: 'Dites-nous votre nom et le domaine souhaité : nous vérifions, achetons le domaine, hébergeons, sécurisons en HTTPS et vous livrons un site en ligne. Personne à relancer, tout est suivi en direct.',
    cta: 'Mettre mon site en ligne',
    track: 'Suivre ma commande en cours',
    assurance: ['Paiement sécurisé par Stripe ou PayPal', 'Délai garanti, compté à partir du paiement', 'Remboursé si nous ne pouvons pas livrer'],
  },
  phases: {
    title: 'Comment ça se passe',
    items: [
      { title: 'Votre demande', time: 'moins de 5 min', text: 'Votre nom, votre e-mail, le domaine souhaité. Nous vérifions qu’il est libre et proposons des variantes sinon.' },
      { title: 'Après le paiement', time: 'moins de 30 min', text: 'Nous achetons votre nom de domaine et créons l’hébergement de votre site.' },
      { title: 'Mise en ligne', time: 'moins de 2 h', text: 'Votre site est déployé, relié à votre domaine et protégé par un certificat HTTPS.' },
      { title: 'Livraison', time: 'avant l’échéance', text: 'Nous vérifions que tout répond, puis vous envoyons l’adresse, le lien de l’éditeur et un compte rendu.' },
    ],
  },
  offers: {
    title: 'Délais et tarifs',
    lead: 'Un prix tout compris, affiché avant de payer. Le nom de domaine est facturé à son prix la première année.',
    express: 'Express',
    standard: 'Standard',
    within: (h: number) => `en ligne en ${h} h maximum`,
    from: 'à partir de',
    includes: (domain: string) => `service, hébergement, HTTPS et un domaine en ${domain} la première année`,
    expressNote: 'Pour ouvrir demain matin ou lancer une offre aujourd’hui.',
    standardNote: 'Le bon choix quand vous avez une journée devant vous.',
    tldTitle: 'Prix du nom de domaine, première année',
    loading: 'Chargement des tarifs…',
    unavailable: 'Les tarifs ne sont pas disponibles pour le moment.',
  },
  faq: {
    title: 'Questions fréquentes',
    items: [
      { q: 'Et si mon nom de domaine est déjà pris ?', a: 'Nous vous proposons aussitôt des variantes libres, avec leur prix. Vous choisissez.' },
      { q: 'Quand le délai commence-t-il ?', a: 'Au moment du paiement. L’heure limite vous est donnée avant de payer.' },
      { q: 'Puis-je modifier mon site ensuite ?', a: 'Oui : vous recevez un lien vers l’éditeur à la livraison.' },
    ],
  },
  footer: 'Conciergerie — votre site en ligne, sans intermédiaire à relancer.',
  modal: {
    title: 'Mettre mon site en ligne',
    close: 'Fermer',
    stepOf: (n: number, total: number) => `Étape ${n} sur ${total}`,
    steps: { business: 'Votre activité', domain: 'Nom de domaine', delivery: 'Délai', payment: 'Paiement', progress: 'Suivi' },
    back: 'Retour',
    next: 'Continuer',
  },
  business: {
    intro: 'Quelques informations pour préparer votre site.',
    name: 'Nom de votre activité',
    nameHint: 'Tel qu’il apparaîtra sur le site.',
    email: 'Adresse e-mail',
    emailHint: 'Pour la confirmation, le suivi et la livraison.',
    city: 'Ville',
    optional: '(facultatif)',
    cityHint: 'Elle nous aide à proposer des noms de domaine.',
  },
  domain: {
    intro: 'Le nom de domaine est l’adresse de votre site.',
    label: 'Nom de domaine souhaité',
    hint: (tlds: string) => `Par exemple boulangerie-dupont.fr. Extensions proposées : ${tlds}.`,
    checking: 'Vérification…',
    available: (d: string) => `${d} est disponible`,
    firstYear: (p: string) => `${p} la première année`,
    premium: 'nom premium',
    taken: (d: string) => `${d} est déjà pris.`,
    premiumRefused: (d: string) => `${d} est un nom premium trop cher pour que nous l’achetions.`,
    alternatives: 'Ces noms sont libres :',
    noAlternatives: 'Aucune variante libre trouvée : essayez un autre nom.',
    missingTld: (tlds: string) => `Ajoutez l’extension, par exemple .fr (extensions proposées : ${tlds}).`,
    unsupportedTld: (tld: string, tlds: string) => `Nous ne vendons pas l’extension .${tld}. Extensions proposées : ${tlds}.`,
    unknown: 'Impossible de vérifier ce nom pour le moment. Réessayez dans un instant.',
    offline: 'Pas de connexion. Vérifiez votre réseau.',
    chosen: 'Nom retenu',
    pickOne: 'Choisissez un nom disponible pour continuer.',
  },
  delivery: {
    intro: 'Quand votre site doit-il être en ligne ?',
    legend: 'Délai de mise en ligne',
    express: 'Express',
    standard: 'Standard',
    within: (h: number) => `En ligne en ${h} h maximum`,
    ifPaidNow: 'si vous payez maintenant',
    by: (when: string) => `au plus tard ${when}`,
    summary: 'Détail du prix',
    items: { domain_first_year: 'Nom de domaine, première année', service: 'Mise en ligne, hébergement et HTTPS', express_surcharge: 'Supplément express' },
    total: 'Total',
    premium: 'Ce nom est vendu au prix premium fixé par le registre.',
    timeZone: (tz: string) => `Heures de votre fuseau horaire (${tz}).`,
  },
  payment: {
    intro: 'Vous serez redirigé vers la page de paiement sécurisée, puis ramené ici pour suivre la mise en ligne.',
    legend: 'Moyen de paiement',
    stripe: 'Carte bancaire',
    stripeNote: 'via Stripe',
    paypal: 'PayPal',
    paypalNote: 'compte PayPal',
    recap: (domain: string, tier: string) => `${domain}, formule ${tier}`,
    pay: (amount: string) => `Payer ${amount}`,
    paying: 'Préparation du paiement…',
    redirecting: 'Redirection vers la page de paiement…',
    offline: 'La demande n’a pas pu être envoyée. Vérifiez votre connexion puis réessayez : vous ne serez pas facturé deux fois.',
    terms: 'Le délai court à partir du paiement. En cas d’échec, vous êtes remboursé automatiquement.',
  },
  validation: {
    required: 'Ce champ est obligatoire.',
    email: 'Cette adresse e-mail ne semble pas valide.',
    tooLong: 'Ce texte est trop long.',
  },
  progress: {
    title: 'Votre mise en ligne',
    loading: 'Chargement du suivi…',
    notFound: 'Nous ne trouvons pas cette commande. Vérifiez le lien reçu par e-mail.',
    error: 'Le suivi est momentanément indisponible. Nouvel essai automatique…',
    reconnecting: 'Connexion interrompue, reconnexion…',
    live: 'Suivi en direct',
    elapsed: 'Temps écoulé',
    eta: 'En ligne vers',
    deadline: 'Échéance garantie',
    stepsTitle: 'Étapes',
    stateDone: 'terminé',
    stateCurrent: 'en cours',
    stateTodo: 'à venir',
    stateFailed: 'en échec',
    about: (d: string) => `environ ${d}`,
    timeline: 'Historique détaillé',
    delivered: 'Votre site est en ligne !',
    deliveredLead: 'Il est sécurisé en HTTPS et surveillé en permanence.',
    visit: 'Voir mon site',
    editor: 'Modifier mon site',
    awaitingPayment: 'En attente de votre paiement.',
    awaitingPaymentLead: 'Le délai commencera dès la confirmation du paiement.',
    paymentExpired: 'Le lien de paiement a expiré.',
    payNow: 'Payer maintenant',
    newLink: 'Obtenir un nouveau lien de paiement',
    paymentCancelled: 'Paiement annulé. Vous pouvez reprendre quand vous voulez.',
    paymentUnavailable: 'Le paiement est momentanément indisponible. Réessayez dans quelques minutes.',
    paymentReturn: 'Merci ! Nous attendons la confirmation de votre paiement.',
    domainUnavailable: 'Le nom de domaine a été pris entre-temps.',
    domainUnavailableLead: 'Choisissez une variante libre : la mise en ligne reprend aussitôt.',
    chooseThis: 'Choisir ce nom',
    chosen: 'C’est noté, la mise en ligne reprend.',
    refunding: 'Nous n’avons pas pu terminer : votre remboursement est en cours.',
    refunded: 'Vous avez été remboursé.',
    cancelled: 'Cette commande a été annulée.',
    trackingLink: 'Lien de suivi à garder',
    openTracking: 'Ouvrir la page de suivi',
    payment: 'Paiement',
  },
  stepLabels: {
    register_domain: 'Achat du nom de domaine',
    create_site: 'Création de l’hébergement',
    deploy_site: 'Déploiement du site',
    point_dns: 'Configuration du DNS',
    wait_dns: 'Propagation du DNS',
    secure_site: 'Certificat HTTPS',
    verify_site: 'Vérification du site',
    deliver: 'Livraison',
  } as Record<string, string>,
  phaseLabels: { 2: 'Après le paiement', 3: 'Mise en ligne', 4: 'Livraison' } as Record<number, string>,
  states: {
    awaiting_payment: 'En attente de paiement',
    payment_expired: 'Lien de paiement expiré',
    paid: 'Payé',
    registering_domain: 'Achat du domaine',
    domain_unavailable: 'Domaine indisponible',
    creating_site: 'Création du site',
    deploying: 'Déploiement',
    configuring_dns: 'Configuration DNS',
    securing: 'Sécurisation HTTPS',
    verifying: 'Vérification',
    delivered: 'Livré',
    refunding: 'Remboursement en cours',
    refunded: 'Remboursé',
    cancelled: 'Annulé',
  } as Record<string, string>,
  tracking: {
    title: 'Suivi de commande',
    home: 'Accueil',
  },
  notFound: { title: 'Page introuvable', back: 'Retour à l’accueil' },
};

export type Dict = typeof fr;

const en: Dict = {
  brand: 'Conciergerie',
  switchTo: 'Français',
  switchToLabel: 'Passer en français',
  skip: 'Skip to content',
  hero: {
    kicker: 'For shops, craftspeople and independents',
    title: 'Your site online, at your own domain, without a second thought.',
    lead: 'Tell us your name and the domain you want: we check it, buy the domain, host your site, secure it with HTTPS and deliver it online. Nobody to chase, everything followed live.',
    cta: 'Put my site online',
    track: 'Follow my current order',
    assurance: ['Secure payment with Stripe or PayPal', 'Guaranteed deadline, counted from payment', 'Refunded if we cannot deliver'],
  },
  phases: {
    title: 'How it works',
    items: [
      { title: 'Your request', time: 'under 5 min', text: 'Your name, your email, the domain you want. We check it is free and suggest alternatives if not.' },
      { title: 'After payment', time: 'under 30 min', text: 'We buy your domain name and create your site’s hosting.' },
      { title: 'Going live', time: 'under 2 h', text: 'Your site is deployed, connected to your domain and protected by an HTTPS certificate.' },
      { title: 'Delivery', time: 'before the deadline', text: 'We check everything answers, then send you the address, the editor link and a report.' },
    ],
  },
  offers: {
    title: 'Deadlines and prices',
    lead: 'One all-in price, shown before you pay. The domain name is charged at its first-year price.',
    express: 'Express',
    standard: 'Standard',
    within: (h: number) => `online within ${h} h`,
    from: 'from',
    includes: (domain: string) => `service, hosting, HTTPS and a ${domain} domain for the first year`,
    expressNote: 'To open tomorrow morning or launch an offer today.',
    standardNote: 'The right choice when you have a day ahead of you.',
    tldTitle: 'Domain name prices, first year',
    loading: 'Loading prices…',
    unavailable: 'Prices are not available right now.',
  },
  faq: {
    title: 'Questions',
    items: [
      { q: 'What if my domain name is taken?', a: 'We suggest free alternatives straight away, with their prices. You choose.' },
      { q: 'When does the deadline start?', a: 'When you pay. You see the exact time before paying.' },
      { q: 'Can I change my site later?', a: 'Yes: you get a link to the editor on delivery.' },
    ],
  },
  footer: 'Conciergerie — your site online, with nobody to chase.',
  modal: {
    title: 'Put my site online',
    close: 'Close',
    stepOf: (n: number, total: number) => `Step ${n} of ${total}`,
    steps: { business: 'Your business', domain: 'Domain name', delivery: 'Deadline', payment: 'Payment', progress: 'Progress' },
    back: 'Back',
    next: 'Continue',
  },
  business: {
    intro: 'A few details to prepare your site.',
    name: 'Business name',
    nameHint: 'As it will appear on the site.',
    email: 'Email address',
    emailHint: 'For the confirmation, the progress updates and the delivery.',
    city: 'City',
    optional: '(optional)',
    cityHint: 'It helps us suggest domain names.',
  },
  domain: {
    intro: 'The domain name is your site’s address.',
    label: 'Domain name you want',
    hint: (tlds: string) => `For example dupont-bakery.com. Extensions we sell: ${tlds}.`,
    checking: 'Checking…',
    available: (d: string) => `${d} is available`,
    firstYear: (p: string) => `${p} for the first year`,
    premium: 'premium name',
    taken: (d: string) => `${d} is already taken.`,
    premiumRefused: (d: string) => `${d} is a premium name too expensive for us to buy.`,
    alternatives: 'These names are free:',
    noAlternatives: 'No free alternative found: try another name.',
    missingTld: (tlds: string) => `Add the extension, for example .com (extensions we sell: ${tlds}).`,
    unsupportedTld: (tld: string, tlds: string) => `We do not sell .${tld} names. Extensions we sell: ${tlds}.`,
    unknown: 'We cannot check this name right now. Please try again in a moment.',
    offline: 'No connection. Please check your network.',
    chosen: 'Chosen name',
    pickOne: 'Choose an available name to continue.',
  },
  delivery: {
    intro: 'When should your site be online?',
    legend: 'Delivery deadline',
    express: 'Express',
    standard: 'Standard',
    within: (h: number) => `Online within ${h} h`,
    ifPaidNow: 'if you pay now',
    by: (when: string) => `by ${when}`,
    summary: 'Price breakdown',
    items: { domain_first_year: 'Domain name, first year', service: 'Going live, hosting and HTTPS', express_surcharge: 'Express surcharge' },
    total: 'Total',
    premium: 'This name is sold at the premium price set by its registry.',
    timeZone: (tz: string) => `Times in your time zone (${tz}).`,
  },
  payment: {
    intro: 'You will go to the secure payment page, then come back here to follow your site going live.',
    legend: 'Payment method',
    stripe: 'Card',
    stripeNote: 'with Stripe',
    paypal: 'PayPal',
    paypalNote: 'PayPal account',
    recap: (domain: string, tier: string) => `${domain}, ${tier} delivery`,
    pay: (amount: string) => `Pay ${amount}`,
    paying: 'Preparing the payment…',
    redirecting: 'Taking you to the payment page…',
    offline: 'Your request could not be sent. Check your connection and try again: you will not be charged twice.',
    terms: 'The deadline counts from payment. If anything fails, you are refunded automatically.',
  },
  validation: {
    required: 'This field is required.',
    email: 'This email address does not look valid.',
    tooLong: 'This text is too long.',
  },
  progress: {
    title: 'Your site going live',
    loading: 'Loading your order…',
    notFound: 'We cannot find this order. Please check the link in your email.',
    error: 'Progress is unavailable for a moment. Trying again…',
    reconnecting: 'Connection lost, reconnecting…',
    live: 'Live',
    elapsed: 'Elapsed',
    eta: 'Online around',
    deadline: 'Guaranteed by',
    stepsTitle: 'Steps',
    stateDone: 'done',
    stateCurrent: 'in progress',
    stateTodo: 'to come',
    stateFailed: 'failed',
    about: (d: string) => `about ${d}`,
    timeline: 'Detailed history',
    delivered: 'Your site is live!',
    deliveredLead: 'It is secured with HTTPS and watched around the clock.',
    visit: 'Visit my site',
    editor: 'Edit my site',
    awaitingPayment: 'Waiting for your payment.',
    awaitingPaymentLead: 'The deadline starts as soon as the payment is confirmed.',
    paymentExpired: 'The payment link has expired.',
    payNow: 'Pay now',
    newLink: 'Get a new payment link',
    paymentCancelled: 'Payment cancelled. You can come back to it whenever you like.',
    paymentUnavailable: 'Payment is unavailable for a moment. Please try again in a few minutes.',
    paymentReturn: 'Thank you! We are waiting for your payment to be confirmed.',
    domainUnavailable: 'The domain name was taken in the meantime.',
    domainUnavailableLead: 'Choose a free alternative and going live resumes at once.',
    chooseThis: 'Choose this name',
    chosen: 'Done, going live again.',
    refunding: 'We could not finish: your refund is on its way.',
    refunded: 'You have been refunded.',
    cancelled: 'This order was cancelled.',
    trackingLink: 'Tracking link to keep',
    openTracking: 'Open the tracking page',
    payment: 'Payment',
  },
  stepLabels: {
    register_domain: 'Buying the domain name',
    create_site: 'Creating the hosting',
    deploy_site: 'Deploying the site',
    point_dns: 'Setting up DNS',
    wait_dns: 'DNS propagation',
    secure_site: 'HTTPS certificate',
    verify_site: 'Checking the site',
    deliver: 'Delivery',
  },
  phaseLabels: { 2: 'After payment', 3: 'Going live', 4: 'Delivery' },
  states: {
    awaiting_payment: 'Awaiting payment',
    payment_expired: 'Payment link expired',
    paid: 'Paid',
    registering_domain: 'Buying the domain',
    domain_unavailable: 'Domain unavailable',
    creating_site: 'Creating the site',
    deploying: 'Deploying',
    configuring_dns: 'Setting up DNS',
    securing: 'Securing with HTTPS',
    verifying: 'Checking',
    delivered: 'Delivered',
    refunding: 'Refund in progress',
    refunded: 'Refunded',
    cancelled: 'Cancelled',
  },
  tracking: {
    title: 'Order tracking',
    home: 'Home',
  },
  notFound: { title: 'Page not found', back: 'Back to the home page' },
};

export const dictionaries: Record<Locale, Dict> = { fr, en };

export interface LocaleContextValue {
  locale: Locale;
  t: Dict;
  setLocale(locale: Locale): void;
}

export const LocaleContext = createContext<LocaleContextValue>({ locale: 'fr', t: fr, setLocale: () => {} });

export function useLocale(): LocaleContextValue {
  return useContext(LocaleContext);
}

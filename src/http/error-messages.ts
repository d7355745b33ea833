// Customer-facing error messages, by stable code and locale. The code is the contract; the text may change.
export type Locale = 'fr' | 'en';

type Params = Record<string, unknown>;
type Message = string | ((p: Params) => string);

const list = (v: unknown) => (Array.isArray(v) ? v.map((t) => `.${t}`).join(', ') : '');

const messages: Record<string, { fr: Message; en: Message }> = {
  invalid_request: {
    fr: 'La demande est incomplète ou mal formée.',
    en: 'The request is incomplete or malformed.',
  },
  field_required: { fr: 'Ce champ est obligatoire.', en: 'This field is required.' },
  field_invalid: { fr: 'Cette valeur n’est pas valable.', en: 'This value is not valid.' },
  field_too_long: { fr: 'Ce texte est trop long.', en: 'This text is too long.' },
  email_invalid: { fr: 'Cette adresse e-mail n’est pas valable.', en: 'This email address is not valid.' },
  domain_empty: { fr: 'Indiquez un nom de domaine.', en: 'Please enter a domain name.' },
  domain_invalid_characters: {
    fr: 'Un nom de domaine ne contient que des lettres, des chiffres et des tirets.',
    en: 'A domain name contains only letters, digits and hyphens.',
  },
  domain_label_too_long: {
    fr: 'Chaque partie du nom de domaine fait au plus 63 caractères.',
    en: 'Each part of the domain name is at most 63 characters long.',
  },
  domain_too_long: { fr: 'Ce nom de domaine est trop long.', en: 'This domain name is too long.' },
  domain_hyphen: {
    fr: 'Un nom de domaine ne commence ni ne finit par un tiret.',
    en: 'A domain name cannot start or end with a hyphen.',
  },
  domain_not_registrable: {
    fr: 'Indiquez un nom de domaine enregistrable, par exemple « maboutique.fr ».',
    en: 'Please enter a domain name that can be registered, for example "myshop.com".',
  },
  domain_mixed_script: {
    fr: 'Ce nom mélange des alphabets différents (risque d’usurpation) : choisissez-en un seul.',
    en: 'This name mixes different alphabets (a spoofing risk): please use only one.',
  },
  domain_tld_not_sold: {
    fr: (p) => `Nous ne vendons pas l’extension .${p.tld}. Extensions proposées : ${list(p.sold)}.`,
    en: (p) => `We do not sell the .${p.tld} extension. Available extensions: ${list(p.sold)}.`,
  },
  domain_taken: {
    fr: (p) => `Le domaine ${p.domain} est déjà pris. Voici des noms disponibles.`,
    en: (p) => `The domain ${p.domain} is already taken. Here are available names.`,
  },
  domain_premium_refused: {
    fr: (p) => `${p.domain} est un nom « premium » vendu trop cher par le registre ; choisissez un autre nom.`,
    en: (p) => `${p.domain} is a premium name the registry sells at too high a price; please choose another name.`,
  },
  availability_unknown: {
    fr: 'Nous ne pouvons pas vérifier ce nom pour le moment. Réessayez dans une minute.',
    en: 'We cannot check this name right now. Please try again in a minute.',
  },
  payment_provider_unavailable: {
    fr: 'Le service de paiement ne répond pas ; votre commande est enregistrée et le lien de paiement arrive par e-mail.',
    en: 'The payment service is not answering; your order is saved and the payment link will reach you by email.',
  },
  idempotency_key_reused: {
    fr: 'Cette clé d’idempotence a déjà servi pour une autre demande.',
    en: 'This idempotency key was already used for a different request.',
  },
  idempotency_key_invalid: {
    fr: 'La clé d’idempotence doit faire de 8 à 255 caractères visibles.',
    en: 'The idempotency key must be 8 to 255 visible characters.',
  },
  order_not_found: { fr: 'Commande introuvable.', en: 'Order not found.' },
  order_already_paid: { fr: 'Cette commande est déjà payée.', en: 'This order is already paid.' },
  order_cancelled: { fr: 'Cette commande est annulée.', en: 'This order is cancelled.' },
  webhook_signature_missing: { fr: 'Signature absente.', en: 'Missing signature.' },
  webhook_signature_invalid: { fr: 'Signature invalide ou périmée.', en: 'Invalid or stale signature.' },
  domain_not_offered: {
    fr: 'Choisissez l’un des noms proposés.',
    en: 'Please choose one of the names offered.',
  },
  order_not_waiting_for_domain: {
    fr: 'Cette commande n’attend pas de nouveau nom.',
    en: 'This order is not waiting for another name.',
  },
  demo_sandbox_only: { fr: 'Disponible seulement avec le bac à sable.', en: 'Only available in sandbox mode.' },
  csrf_invalid: { fr: 'Jeton CSRF absent ou invalide.', en: 'Missing or invalid CSRF token.' },
  login_failed: { fr: 'Mot de passe incorrect.', en: 'Wrong password.' },
  action_not_possible: {
    fr: 'Cette action n’est pas possible dans l’état actuel de la commande.',
    en: 'This action is not possible in the order’s current state.',
  },
  unauthorized: { fr: 'Authentification requise.', en: 'Authentication required.' },
  not_found: { fr: 'Page introuvable.', en: 'Not found.' },
  rate_limited: {
    fr: 'Trop de demandes ; réessayez dans un instant.',
    en: 'Too many requests; please try again shortly.',
  },
  body_too_large: { fr: 'La demande est trop volumineuse.', en: 'The request is too large.' },
  unsupported_media_type: {
    fr: 'Envoyez la demande en JSON.',
    en: 'Please send the request as JSON.',
  },
  internal_error: {
    fr: 'Une erreur inattendue est survenue ; rien n’a été perdu. Réessayez dans un instant.',
    en: 'An unexpected error occurred; nothing was lost. Please try again shortly.',
  },
};

export function errorMessage(code: string, locale: Locale, params: Params = {}): string {
  const m = messages[code] ?? messages.internal_error;
  const t = m[locale];
  return typeof t === 'function' ? t(params) : t;
}

export function hasMessage(code: string): boolean {
  return code in messages;
}

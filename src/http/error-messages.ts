// Customer-facing error messages, by stable code and locale. The code is the contract; the text may change.
import type { Locale } from '../domain/locale.ts';
import { isErrorCode, type ErrorCode } from '../error-codes.ts';
import { tldRule } from '../domain/tld-rules.ts';
import { formatDay } from '../emails/i18n.ts';

type Params = Record<string, unknown>;
type Message = string | ((p: Params) => string);

const day = (v: unknown, locale: Locale) => formatDay(String(v), locale);

const list = (v: unknown) => (Array.isArray(v) ? v.map((t) => `.${t}`).join(', ') : '');

/** What a TLD's rule asks for, in words (holder_field_required names the field). */
const HOLDER_FIELD_WORDS: Record<Locale, Record<string, string>> = {
  fr: {
    birthDate: 'la date de naissance du titulaire',
    birthPlace: 'le lieu de naissance du titulaire',
    companyId: 'le numéro SIREN ou SIRET de l’organisation (hors de France, son numéro d’immatriculation national)',
    organization: 'le nom de l’organisation',
  },
  en: {
    birthDate: 'the holder’s date of birth',
    birthPlace: 'the holder’s place of birth',
    companyId: 'the organisation’s SIREN or SIRET number (outside France, its national registration number)',
    organization: 'the organisation’s name',
  },
};
const countryName = (locale: Locale, code: unknown) => {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(String(code)) ?? String(code);
  } catch {
    return String(code);
  }
};

/** Every code has its French message; a missing one fails to compile. */
const fr: Record<ErrorCode, Message> = {
  invalid_request: 'La demande est incomplète ou mal formée.',
  field_required: 'Ce champ est obligatoire.',
  field_invalid: 'Cette valeur n’est pas valable.',
  field_too_long: 'Ce texte est trop long.',
  email_invalid: 'Cette adresse e-mail n’est pas valable.',
  domain_empty: 'Indiquez un nom de domaine.',
  domain_invalid_characters: 'Un nom de domaine ne contient que des lettres, des chiffres et des tirets.',
  domain_label_too_long: 'Chaque partie du nom de domaine fait au plus 63 caractères.',
  domain_too_long: 'Ce nom de domaine est trop long.',
  domain_hyphen: 'Un nom de domaine ne commence ni ne finit par un tiret.',
  domain_not_registrable: 'Indiquez un nom de domaine enregistrable, par exemple « maboutique.fr ».',
  domain_mixed_script: 'Ce nom mélange des alphabets différents (risque d’usurpation) : choisissez-en un seul.',
  domain_tld_not_sold: (p) => `Nous ne vendons pas l’extension .${p.tld}. Extensions proposées : ${list(p.sold)}.`,
  domain_taken: (p) => `Le domaine ${p.domain} est déjà pris. Voici des noms disponibles.`,
  domain_premium_refused: (p) => `${p.domain} est un nom « premium » vendu trop cher par le registre ; choisissez un autre nom.`,
  availability_unknown: 'Nous ne pouvons pas vérifier ce nom pour le moment. Réessayez dans une minute.',
  payment_provider_unavailable: 'Le service de paiement ne répond pas ; votre commande est enregistrée et le lien de paiement arrive par e-mail.',
  idempotency_key_reused: 'Cette clé d’idempotence a déjà servi pour une autre demande.',
  idempotency_key_invalid: 'La clé d’idempotence doit faire de 8 à 255 caractères visibles.',
  order_not_found: 'Commande introuvable.',
  order_already_paid: 'Cette commande est déjà payée.',
  order_cancelled: 'Cette commande est annulée.',
  webhook_signature_missing: 'Signature absente.',
  webhook_signature_invalid: 'Signature invalide ou périmée.',
  webhook_event_invalid: 'Ce n’est pas un événement : identifiant ou type absent.',
  body_not_utf8: 'La demande doit être encodée en UTF-8.',
  request_too_large: 'L’adresse ou les en-têtes de la demande sont trop longs.',
  domain_not_offered: 'Choisissez l’un des noms proposés.',
  order_not_waiting_for_domain: 'Cette commande n’attend pas de nouveau nom.',
  vat_number_invalid: (p) =>
    p.reason === 'country'
      ? 'Ce numéro de TVA n’est pas celui du pays de l’adresse de facturation.'
      : p.reason === 'vies'
        ? 'Ce numéro de TVA est inconnu du service VIES de l’Union européenne.'
        : 'Ce numéro de TVA intracommunautaire n’est pas valable (format ou clé de contrôle).',
  vat_check_unavailable: 'Nous ne pouvons pas vérifier ce numéro de TVA pour le moment. Réessayez dans quelques minutes.',
  refund_amount_invalid: 'Le montant à rembourser doit être positif et au plus ce qui reste payé sur la commande.',
  refund_not_possible: 'Cette commande ne peut pas être remboursée ainsi (non payée, déjà remboursée ou en cours de remboursement).',
  withdrawal_not_possible:
    'Le droit de rétractation ne s’applique pas ou plus à cette commande (client professionnel, délai de 14 jours passé ou déjà exercé).',
  invoice_not_found: 'Document introuvable.',
  satisfaction_not_open: (p) =>
    `Ce lien ne permet pas (ou plus) de donner votre avis : il est inconnu, ou les avis se donnent et se modifient pendant ${p.days} jours après la livraison ou le remboursement.`,
  terms_not_accepted: 'Acceptez les conditions générales de vente pour commander.',
  terms_version_outdated: (p) => `Les conditions générales ont changé (version du ${p.current}) : relisez-les et acceptez la version en vigueur.`,
  early_start_required:
    'Pour que nous commencions dès le paiement, cochez la case demandant le début du service avant la fin du délai de rétractation de 14 jours.',
  erasure_order_in_progress: 'Une commande payée est en cours : vos données pourront être effacées dès sa livraison ou son remboursement.',
  erasure_not_confirmed: 'Confirmez l’effacement : il est définitif.',
  report_day_in_future: (p) => `Le ${p.day} n’est pas encore arrivé : pas de rapport pour un jour à venir (aujourd’hui : ${p.today}).`,
  requested_domain_invalid: 'Le nom demandé au départ (requestedDomain) n’est pas un nom de domaine valable.',
  requested_domain_same: 'Le nom demandé au départ est celui de la commande : indiquez-le seulement quand vous commandez un autre nom.',
  requested_domain_available: (p) => `${p.domain} est libre : commandez-le directement, ou choisissez un autre nom sans le donner comme nom demandé.`,
  not_signed_in: 'Connectez-vous à votre espace : demandez un lien de connexion avec votre adresse e-mail.',
  csrf_mismatch: 'Cette page n’est plus à jour (session changée ou expirée) : rechargez-la puis recommencez. Rien n’a été modifié.',
  sign_in_link_invalid: 'Ce lien de connexion n’est pas valable : demandez-en un nouveau.',
  sign_in_link_expired: 'Ce lien de connexion a expiré (il vaut 15 minutes) : demandez-en un nouveau.',
  sign_in_link_used: 'Ce lien de connexion a déjà servi (il ne vaut qu’une fois) : demandez-en un nouveau.',
  account_domain_not_found: 'Aucun de vos sites livrés n’utilise ce domaine.',
  holder_change_not_allowed: (p) =>
    p.tld === 'fr'
      ? 'Ce champ désigne le titulaire lui-même : le changer, c’est changer de titulaire, ce que l’Afnic traite par sa procédure de « changement de titulaire » (accord de l’ancien et du nouveau titulaire). Écrivez-nous pour la lancer ; ici, seules l’adresse, le téléphone et l’e-mail du même titulaire se modifient.'
      : 'Ce champ désigne le titulaire lui-même : le changer, c’est changer de titulaire (« Change of Registrant » de l’ICANN : les deux titulaires confirment, puis le domaine ne peut pas changer de registraire pendant 60 jours). Écrivez-nous pour le faire ; ici, seules l’adresse, le téléphone et l’e-mail du même titulaire se modifient.',
  transfer_too_soon: (p) =>
    `Ce domaine ne peut pas encore changer de registraire : la règle de l’ICANN interdit un transfert dans les 60 jours qui suivent son enregistrement ou un changement de titulaire. Le transfert sera possible à partir du ${day(p.date, 'fr')}.`,
  dns_host_invalid: 'Indiquez « @ » pour le domaine lui-même, ou un sous-domaine fait de lettres, chiffres, tirets et « _ » (63 caractères par partie).',
  dns_ipv4_invalid: 'Un enregistrement A attend une adresse IPv4, par exemple 203.0.113.10.',
  dns_ipv6_invalid: 'Un enregistrement AAAA attend une adresse IPv6, par exemple 2001:db8::1.',
  dns_target_invalid: 'Indiquez un nom d’hôte complet, par exemple mail.exemple.fr (pas une adresse IP ni une URL).',
  dns_txt_invalid: (p) => `Un texte TXT fait de 1 à ${p.max} caractères imprimables (ASCII), sans guillemets à l’intérieur.`,
  dns_cname_at_apex: 'Un CNAME ne peut pas être posé sur le domaine lui-même (@) : utilisez un sous-domaine.',
  dns_cname_conflict: (p) => `« ${p.host} » a déjà d’autres enregistrements : un CNAME doit y être seul (RFC 1034).`,
  dns_record_protected: 'Cet enregistrement fait fonctionner votre site : il ne peut pas être modifié ni supprimé ici.',
  dns_record_exists: 'Cet enregistrement existe déjà.',
  dns_record_not_found: 'Cet enregistrement n’existe pas (ou plus) : rechargez la liste.',
  dns_too_many_records: (p) => `Ce domaine a atteint ${p.max} enregistrements : supprimez-en avant d’en ajouter.`,
  mail_routing_conflict: (p) =>
    p.reason === 'forwarding_on'
      ? 'Le transfert d’e-mails est actif : désactivez-le avant d’ajouter des enregistrements MX.'
      : 'Ce domaine reçoit ses e-mails par des enregistrements MX : supprimez-les avant d’activer le transfert.',
  domain_idn_not_sold: (p) => `Nous ne vendons pas de noms accentués en .${p.tld} : écrivez-le sans accents, ou choisissez une autre extension.`,
  holder_not_eligible: (p) => `Ce titulaire ne peut pas détenir de nom en .${p.tld}. ${tldRule(String(p.tld)).why.fr}`,
  holder_country_not_eligible: (p) =>
    `Le registre du .${p.tld} (${p.registry}) n’accepte pas de titulaire établi en ${countryName('fr', p.country)} : choisissez une autre extension, ou un titulaire qui réside ou est établi dans l’un des pays qu’il accepte.`,
  holder_field_required: (p) => `Le registre du .${p.tld} (${p.registry}) demande ${HOLDER_FIELD_WORDS.fr[String(p.field)] ?? p.field}.`,
  holder_country_invalid: 'Choisissez un pays dans la liste (un code ISO de deux lettres, par exemple FR).',
  holder_phone_invalid: 'Indiquez le numéro avec son indicatif international, au format +33.612345678.',
  holder_birth_date_invalid: 'Indiquez une date de naissance réelle, au format AAAA-MM-JJ.',
  holder_company_id_invalid:
    'Ce numéro SIREN (9 chiffres) ou SIRET (14 chiffres) n’est pas valable : vérifiez-le sur votre extrait Kbis ou votre avis de situation INSEE.',
  csrf_invalid: 'Jeton CSRF absent ou invalide.',
  login_failed: 'Mot de passe incorrect.',
  action_not_possible: 'Cette action n’est pas possible dans l’état actuel de la commande.',
  unauthorized: 'Authentification requise.',
  not_found: 'Page introuvable.',
  rate_limited: 'Trop de demandes ; réessayez dans un instant.',
  too_many_streams: 'Trop de pages suivent cette commande en direct en même temps ; fermez-en une ou réessayez dans un instant.',
  body_too_large: 'La demande est trop volumineuse.',
  unsupported_media_type: 'Envoyez la demande en JSON.',
  site_field_too_long: (p) => `Ce texte est trop long : ${p.max} caractères au plus.`,
  site_too_many_items: (p) => `Trop d’éléments : ${p.max} au plus.`,
  too_many_items: (p) => `Trop d’éléments : ${p.max} au plus.`,
  number_out_of_range: (p) =>
    p.max === undefined ? `Indiquez un nombre entier d’au moins ${p.min ?? 0}.` : `Indiquez un nombre entier entre ${p.min ?? 0} et ${p.max}.`,
  number_too_large: (p) => `Indiquez un nombre d’au plus ${p.max}.`,
  number_too_small: (p) => `Indiquez un nombre d’au moins ${p.min}.`,
  cursor_invalid: 'Ce curseur de page n’est pas valable : reprenez la liste depuis sa première page.',
  value_not_allowed: (p) => `Choisissez l’une de ces valeurs : ${Array.isArray(p.values) ? p.values.join(', ') : ''}.`,
  color_invalid: 'Indiquez une couleur au format #rrggbb.',
  time_invalid: 'Indiquez une heure au format HH:MM (par exemple 09:30).',
  hours_same: 'L’heure de fermeture doit différer de l’heure d’ouverture.',
  url_invalid: 'Indiquez une adresse web complète, commençant par https://.',
  phone_invalid: 'Un numéro de téléphone ne contient que des chiffres, des espaces et + ( ) . / -.',
  field_unknown: 'Ce champ n’existe pas dans le document du site : retirez-le (rien n’a été enregistré).',
  control_characters: 'Ce texte contient des caractères invisibles non permis.',
  asset_unknown: 'Cette image n’existe pas (ou plus) : envoyez-la à nouveau.',
  site_version_conflict: 'Le site a été modifié ailleurs entre-temps (un autre onglet ?). Rechargez pour voir la dernière version.',
  site_not_editable: 'Cette commande n’est plus modifiable.',
  renewal_not_found: 'Cette commande n’a pas de renouvellement.',
  renewal_closed: 'Ce nom de domaine n’est plus renouvelable ici : écrivez-nous.',
  site_not_delivered: 'Votre site n’est pas encore livré : il sera mis en ligne avec le contenu enregistré ici.',
  image_empty: 'Le fichier est vide.',
  image_too_large: (p) => `Cette image est trop lourde : ${p.maxMb} Mo au plus.`,
  image_type_unsupported: 'Ce fichier n’est pas une image PNG, JPEG, WebP ou GIF (son contenu est vérifié, pas son nom).',
  image_corrupt: 'Cette image est illisible ou abîmée.',
  image_dimensions_too_large: (p) => `Cette image est trop grande (${p.width} × ${p.height} pixels) : ${p.max} pixels de côté au plus.`,
  asset_not_found: 'Image introuvable.',
  asset_in_use: 'Cette image est utilisée par votre site : retirez-la du site avant de la supprimer.',
  asset_limit_reached: (p) => `Vous avez atteint la limite de ${p.max} images : supprimez-en avant d’en ajouter.`,
  archive_too_late: 'Votre site est déjà en cours de mise en ligne : il est trop tard pour envoyer une archive. Modifiez-le depuis l’éditeur.',
  archive_too_large: (p) => `L’archive est trop lourde : ${p.maxMb} Mo au plus.`,
  archive_raw_body_required:
    'Envoyez le fichier ZIP lui-même comme corps de la requête (Content-Type: application/zip), pas dans un formulaire multipart/form-data.',
  image_raw_body_required: 'Envoyez l’image elle-même comme corps de la requête, pas dans un formulaire multipart/form-data.',
  archive_invalid: 'Ce fichier n’est pas une archive ZIP lisible.',
  archive_too_many_files: (p) => `L’archive contient trop de fichiers : ${p.max} au plus.`,
  archive_unsafe_path: (p) =>
    `L’archive contient un chemin dangereux (« ${p.path} ») : les chemins doivent rester dans le site, sans « .. », sans « \\ » ni chemin absolu.`,
  archive_link: (p) => `L’archive contient un lien symbolique ou un fichier spécial (« ${p.path} ») : seuls les fichiers ordinaires sont acceptés.`,
  archive_encrypted: (p) => `L’archive contient un fichier chiffré (« ${p.path} ») : envoyez-la sans mot de passe.`,
  archive_unsupported_compression: (p) => `L’archive utilise une compression non prise en charge (« ${p.path} ») : créez-la en ZIP standard.`,
  archive_duplicate_entry: (p) => `L’archive contient deux fois le même nom (« ${p.path} »).`,
  archive_too_large_uncompressed: (p) => `Une fois décompressés, les fichiers de l’archive dépassent ${p.maxMb} Mo.`,
  archive_compression_ratio: (p) => `Un fichier de l’archive (« ${p.path} ») se décompresse de façon anormale (bombe ZIP ?) : archive refusée.`,
  archive_corrupt: (p) => `L’archive est abîmée : le fichier « ${p.path} » ne correspond pas à ce qu’annonce l’archive.`,
  archive_no_index: 'L’archive doit contenir un fichier index.html à sa racine (ou à la racine d’un unique dossier).',
  temporarily_unavailable: 'Le service est momentanément indisponible ; rien n’a été perdu. Réessayez dans quelques secondes.',
  busy: 'Beaucoup de demandes arrivent en ce moment ; la vôtre n’a pas encore été traitée et rien n’a été enregistré. Réessayez dans un instant.',
  internal_error: 'Une erreur inattendue est survenue ; rien n’a été perdu. Réessayez dans un instant.',
};

/** And its English one. */
const en: Record<ErrorCode, Message> = {
  invalid_request: 'The request is incomplete or malformed.',
  field_required: 'This field is required.',
  field_invalid: 'This value is not valid.',
  field_too_long: 'This text is too long.',
  email_invalid: 'This email address is not valid.',
  domain_empty: 'Please enter a domain name.',
  domain_invalid_characters: 'A domain name contains only letters, digits and hyphens.',
  domain_label_too_long: 'Each part of the domain name is at most 63 characters long.',
  domain_too_long: 'This domain name is too long.',
  domain_hyphen: 'A domain name cannot start or end with a hyphen.',
  domain_not_registrable: 'Please enter a domain name that can be registered, for example "myshop.com".',
  domain_mixed_script: 'This name mixes different alphabets (a spoofing risk): please use only one.',
  domain_tld_not_sold: (p) => `We do not sell the .${p.tld} extension. Available extensions: ${list(p.sold)}.`,
  domain_taken: (p) => `The domain ${p.domain} is already taken. Here are available names.`,
  domain_premium_refused: (p) => `${p.domain} is a premium name the registry sells at too high a price; please choose another name.`,
  availability_unknown: 'We cannot check this name right now. Please try again in a minute.',
  payment_provider_unavailable: 'The payment service is not answering; your order is saved and the payment link will reach you by email.',
  idempotency_key_reused: 'This idempotency key was already used for a different request.',
  idempotency_key_invalid: 'The idempotency key must be 8 to 255 visible characters.',
  order_not_found: 'Order not found.',
  order_already_paid: 'This order is already paid.',
  order_cancelled: 'This order is cancelled.',
  webhook_signature_missing: 'Missing signature.',
  webhook_signature_invalid: 'Invalid or stale signature.',
  webhook_event_invalid: 'Not an event: no id or type.',
  body_not_utf8: 'The request must be encoded in UTF-8.',
  request_too_large: 'The request’s address or headers are too long.',
  domain_not_offered: 'Please choose one of the names offered.',
  order_not_waiting_for_domain: 'This order is not waiting for another name.',
  vat_number_invalid: (p) =>
    p.reason === 'country'
      ? 'This VAT number is not of the billing address’s country.'
      : p.reason === 'vies'
        ? 'The EU’s VIES service does not know this VAT number.'
        : 'This EU VAT number is not valid (format or check digits).',
  vat_check_unavailable: 'We cannot check this VAT number right now. Please try again in a few minutes.',
  refund_amount_invalid: 'The amount to refund must be positive and at most what remains paid on the order.',
  refund_not_possible: 'This order cannot be refunded this way (unpaid, already refunded or being refunded).',
  withdrawal_not_possible: 'The right of withdrawal does not or no longer applies to this order (business customer, 14-day period over, or already used).',
  invoice_not_found: 'Document not found.',
  satisfaction_not_open: (p) =>
    `This link cannot (or can no longer) be used to give your opinion: it is unknown, or answers are given and changed for ${p.days} days after the delivery or the refund.`,
  terms_not_accepted: 'Please accept the terms of sale to order.',
  terms_version_outdated: (p) => `The terms of sale have changed (version of ${p.current}): please read them again and accept the version in force.`,
  early_start_required: 'For us to start as soon as you pay, tick the box asking for the service to start before the 14-day withdrawal period ends.',
  erasure_order_in_progress: 'A paid order is in progress: your data can be erased once it is delivered or refunded.',
  erasure_not_confirmed: 'Please confirm the erasure: it cannot be undone.',
  report_day_in_future: (p) => `${p.day} has not come yet: there is no report for a day to come (today is ${p.today}).`,
  requested_domain_invalid: 'The name first asked for (requestedDomain) is not a valid domain name.',
  requested_domain_same: 'The name first asked for is the one ordered: give it only when you order another name instead.',
  requested_domain_available: (p) => `${p.domain} is available: order it directly, or choose another name without giving it as the name first asked for.`,
  not_signed_in: 'Please sign in to your space: ask for a sign-in link with your email address.',
  csrf_mismatch: 'This page is out of date (the session changed or expired): reload it and try again. Nothing was changed.',
  sign_in_link_invalid: 'This sign-in link is not valid: please ask for a new one.',
  sign_in_link_expired: 'This sign-in link has expired (it lasts 15 minutes): please ask for a new one.',
  sign_in_link_used: 'This sign-in link was already used (it works once): please ask for a new one.',
  account_domain_not_found: 'None of your delivered sites uses this domain.',
  holder_change_not_allowed: (p) =>
    p.tld === 'fr'
      ? 'This field names the holder: changing it changes the holder, which AFNIC handles through its own “changement de titulaire” procedure (the outgoing and incoming holders both agree). Write to us to start it; here, only the same holder’s address, phone and email can be changed.'
      : 'This field names the holder: changing it changes the holder (ICANN’s “Change of Registrant”: both holders confirm, then the domain cannot change registrar for 60 days). Write to us to do it; here, only the same holder’s address, phone and email can be changed.',
  transfer_too_soon: (p) =>
    `This domain cannot change registrar yet: ICANN’s rule forbids a transfer within 60 days of its registration or of a change of registrant. The transfer will be possible from ${day(p.date, 'en')}.`,
  dns_host_invalid: 'Enter "@" for the domain itself, or a subdomain of letters, digits, hyphens and "_" (63 characters per part).',
  dns_ipv4_invalid: 'An A record takes an IPv4 address, for example 203.0.113.10.',
  dns_ipv6_invalid: 'An AAAA record takes an IPv6 address, for example 2001:db8::1.',
  dns_target_invalid: 'Enter a full host name, for example mail.example.com (not an IP address nor a URL).',
  dns_txt_invalid: (p) => `A TXT value is 1 to ${p.max} printable (ASCII) characters, with no quotes inside.`,
  dns_cname_at_apex: 'A CNAME cannot sit on the domain itself (@): use a subdomain.',
  dns_cname_conflict: (p) => `"${p.host}" already has other records: a CNAME must be alone on its name (RFC 1034).`,
  dns_record_protected: 'This record makes your site work: it cannot be changed or removed here.',
  dns_record_exists: 'This record already exists.',
  dns_record_not_found: 'This record does not exist (any more): reload the list.',
  dns_too_many_records: (p) => `This domain has reached ${p.max} records: remove some before adding more.`,
  mail_routing_conflict: (p) =>
    p.reason === 'forwarding_on'
      ? 'Email forwarding is on: turn it off before adding MX records.'
      : 'This domain receives its email through MX records: remove them before turning forwarding on.',
  domain_idn_not_sold: (p) => `We do not sell names with accents under .${p.tld}: write it without accents, or choose another extension.`,
  holder_not_eligible: (p) => `This holder cannot hold a .${p.tld} name. ${tldRule(String(p.tld)).why.en}`,
  holder_country_not_eligible: (p) =>
    `The .${p.tld} registry (${p.registry}) does not accept a holder established in ${countryName('en', p.country)}: choose another extension, or a holder who lives or is established in one of the countries it accepts.`,
  holder_field_required: (p) => `The .${p.tld} registry (${p.registry}) asks for ${HOLDER_FIELD_WORDS.en[String(p.field)] ?? p.field}.`,
  holder_country_invalid: 'Choose a country from the list (a two-letter ISO code such as FR).',
  holder_phone_invalid: 'Give the number with its international calling code, as +33.612345678.',
  holder_birth_date_invalid: 'Give a real date of birth, as YYYY-MM-DD.',
  holder_company_id_invalid: 'This SIREN (9 digits) or SIRET (14 digits) number is not valid: check it against your Kbis extract or INSEE registration notice.',
  csrf_invalid: 'Missing or invalid CSRF token.',
  login_failed: 'Wrong password.',
  action_not_possible: 'This action is not possible in the order’s current state.',
  unauthorized: 'Authentication required.',
  not_found: 'Not found.',
  rate_limited: 'Too many requests; please try again shortly.',
  too_many_streams: 'Too many pages are following this order live at once; close one or try again shortly.',
  body_too_large: 'The request is too large.',
  unsupported_media_type: 'Please send the request as JSON.',
  site_field_too_long: (p) => `This text is too long: ${p.max} characters at most.`,
  site_too_many_items: (p) => `Too many items: ${p.max} at most.`,
  too_many_items: (p) => `Too many items: ${p.max} at most.`,
  number_out_of_range: (p) =>
    p.max === undefined ? `Please enter a whole number of at least ${p.min ?? 0}.` : `Please enter a whole number between ${p.min ?? 0} and ${p.max}.`,
  number_too_large: (p) => `Please enter a number no greater than ${p.max}.`,
  number_too_small: (p) => `Please enter a number no less than ${p.min}.`,
  cursor_invalid: 'This page cursor is not valid: start the list again from its first page.',
  value_not_allowed: (p) => `Please choose one of: ${Array.isArray(p.values) ? p.values.join(', ') : ''}.`,
  color_invalid: 'Please enter a colour as #rrggbb.',
  time_invalid: 'Please enter a time as HH:MM (for example 09:30).',
  hours_same: 'The closing time must differ from the opening time.',
  url_invalid: 'Please enter a full web address starting with https://.',
  phone_invalid: 'A phone number contains only digits, spaces and + ( ) . / -.',
  field_unknown: 'This field does not exist in the site document: remove it (nothing was saved).',
  control_characters: 'This text contains invisible characters that are not allowed.',
  asset_unknown: 'This picture does not exist (any more): please upload it again.',
  site_version_conflict: 'The site was changed elsewhere in the meantime (another tab?). Reload to see the latest version.',
  site_not_editable: 'This order can no longer be edited.',
  renewal_not_found: 'This order has no renewal.',
  renewal_closed: 'This domain name can no longer be renewed here: please write to us.',
  site_not_delivered: 'Your site is not delivered yet: it will go live with the content saved here.',
  image_empty: 'The file is empty.',
  image_too_large: (p) => `This picture is too large: ${p.maxMb} MB at most.`,
  image_type_unsupported: 'This file is not a PNG, JPEG, WebP or GIF picture (its content is checked, not its name).',
  image_corrupt: 'This picture cannot be read or is damaged.',
  image_dimensions_too_large: (p) => `This picture is too big (${p.width} × ${p.height} pixels): ${p.max} pixels per side at most.`,
  asset_not_found: 'Picture not found.',
  asset_in_use: 'Your site uses this picture: remove it from the site before deleting it.',
  asset_limit_reached: (p) => `You have reached the limit of ${p.max} pictures: delete some before adding more.`,
  archive_too_late: 'Your site is already being deployed: it is too late to upload an archive. Edit it from the editor instead.',
  archive_too_large: (p) => `The archive is too large: ${p.maxMb} MB at most.`,
  archive_raw_body_required: 'Send the ZIP file itself as the raw request body (Content-Type: application/zip), not inside a multipart/form-data form.',
  image_raw_body_required: 'Send the picture itself as the raw request body, not inside a multipart/form-data form.',
  archive_invalid: 'This file is not a readable ZIP archive.',
  archive_too_many_files: (p) => `The archive holds too many files: ${p.max} at most.`,
  archive_unsafe_path: (p) => `The archive holds an unsafe path ("${p.path}"): paths must stay inside the site, with no "..", no "\\" and no absolute path.`,
  archive_link: (p) => `The archive holds a symbolic link or a special file ("${p.path}"): only regular files are accepted.`,
  archive_encrypted: (p) => `The archive holds an encrypted file ("${p.path}"): please send it without a password.`,
  archive_unsupported_compression: (p) => `The archive uses an unsupported compression ("${p.path}"): please create a standard ZIP.`,
  archive_duplicate_entry: (p) => `The archive holds the same name twice ("${p.path}").`,
  archive_too_large_uncompressed: (p) => `Once uncompressed, the archive's files exceed ${p.maxMb} MB.`,
  archive_compression_ratio: (p) => `A file in the archive ("${p.path}") decompresses abnormally (a zip bomb?): archive refused.`,
  archive_corrupt: (p) => `The archive is damaged: the file "${p.path}" does not match what the archive says about it.`,
  archive_no_index: 'The archive must hold an index.html file at its root (or at the root of a single folder).',
  temporarily_unavailable: 'The service is briefly unavailable; nothing was lost. Please try again in a few seconds.',
  busy: 'Many requests are arriving right now; yours has not been processed yet and nothing was stored. Please try again in a moment.',
  internal_error: 'An unexpected error occurred; nothing was lost. Please try again shortly.',
};

export function errorMessage(code: ErrorCode, locale: Locale, params: Params = {}): string {
  const messages = locale === 'fr' ? fr : en;
  const t = messages[code] ?? messages.internal_error;
  return typeof t === 'function' ? t(params) : t;
}

/** Whether a code from elsewhere (a response being checked) is one of ours, with its message. */
export function hasMessage(code: string): code is ErrorCode {
  return isErrorCode(code);
}

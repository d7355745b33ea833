// Customer-facing error messages, by stable code and locale. The code is the contract; the text may change.
import type { Locale } from '../domain/locale.ts';
import { isErrorCode, type ErrorCode } from '../error-codes.ts';

type Params = Record<string, unknown>;
type Message = string | ((p: Params) => string);

const list = (v: unknown) => (Array.isArray(v) ? v.map((t) => `.${t}`).join(', ') : '');

const tooManyItems: { fr: Message; en: Message } = {
  fr: (p) => `Trop d’éléments : ${p.max} au plus.`,
  en: (p) => `Too many items: ${p.max} at most.`,
};

const messages: Record<ErrorCode, { fr: Message; en: Message }> = {
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
  webhook_event_invalid: { fr: 'Ce n’est pas un événement : identifiant ou type absent.', en: 'Not an event: no id or type.' },
  body_not_utf8: { fr: 'La demande doit être encodée en UTF-8.', en: 'The request must be encoded in UTF-8.' },
  request_too_large: { fr: 'L’adresse ou les en-têtes de la demande sont trop longs.', en: 'The request’s address or headers are too long.' },
  domain_not_offered: {
    fr: 'Choisissez l’un des noms proposés.',
    en: 'Please choose one of the names offered.',
  },
  order_not_waiting_for_domain: {
    fr: 'Cette commande n’attend pas de nouveau nom.',
    en: 'This order is not waiting for another name.',
  },
  report_day_in_future: {
    fr: (p) => `Le ${p.day} n’est pas encore arrivé : pas de rapport pour un jour à venir (aujourd’hui : ${p.today}).`,
    en: (p) => `${p.day} has not come yet: there is no report for a day to come (today is ${p.today}).`,
  },
  requested_domain_invalid: {
    fr: 'Le nom demandé au départ (requestedDomain) n’est pas un nom de domaine valable.',
    en: 'The name first asked for (requestedDomain) is not a valid domain name.',
  },
  requested_domain_same: {
    fr: 'Le nom demandé au départ est celui de la commande : indiquez-le seulement quand vous commandez un autre nom.',
    en: 'The name first asked for is the one ordered: give it only when you order another name instead.',
  },
  requested_domain_available: {
    fr: (p) => `${p.domain} est libre : commandez-le directement, ou choisissez un autre nom sans le donner comme nom demandé.`,
    en: (p) => `${p.domain} is available: order it directly, or choose another name without giving it as the name first asked for.`,
  },
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
  too_many_streams: {
    fr: 'Trop de pages suivent cette commande en direct en même temps ; fermez-en une ou réessayez dans un instant.',
    en: 'Too many pages are following this order live at once; close one or try again shortly.',
  },
  body_too_large: { fr: 'La demande est trop volumineuse.', en: 'The request is too large.' },
  unsupported_media_type: {
    fr: 'Envoyez la demande en JSON.',
    en: 'Please send the request as JSON.',
  },
  // site content: the editor's document, pictures, publishing, archives
  site_field_too_long: {
    fr: (p) => `Ce texte est trop long : ${p.max} caractères au plus.`,
    en: (p) => `This text is too long: ${p.max} characters at most.`,
  },
  site_too_many_items: tooManyItems,
  too_many_items: tooManyItems,
  number_out_of_range: {
    fr: (p) => (p.max === undefined ? `Indiquez un nombre entier d’au moins ${p.min ?? 0}.` : `Indiquez un nombre entier entre ${p.min ?? 0} et ${p.max}.`),
    en: (p) =>
      p.max === undefined ? `Please enter a whole number of at least ${p.min ?? 0}.` : `Please enter a whole number between ${p.min ?? 0} and ${p.max}.`,
  },
  number_too_large: {
    fr: (p) => `Indiquez un nombre d’au plus ${p.max}.`,
    en: (p) => `Please enter a number no greater than ${p.max}.`,
  },
  number_too_small: {
    fr: (p) => `Indiquez un nombre d’au moins ${p.min}.`,
    en: (p) => `Please enter a number no less than ${p.min}.`,
  },
  cursor_invalid: {
    fr: 'Ce curseur de page n’est pas valable : reprenez la liste depuis sa première page.',
    en: 'This page cursor is not valid: start the list again from its first page.',
  },
  value_not_allowed: {
    fr: (p) => `Choisissez l’une de ces valeurs : ${Array.isArray(p.values) ? p.values.join(', ') : ''}.`,
    en: (p) => `Please choose one of: ${Array.isArray(p.values) ? p.values.join(', ') : ''}.`,
  },
  color_invalid: { fr: 'Indiquez une couleur au format #rrggbb.', en: 'Please enter a colour as #rrggbb.' },
  time_invalid: { fr: 'Indiquez une heure au format HH:MM (par exemple 09:30).', en: 'Please enter a time as HH:MM (for example 09:30).' },
  hours_same: { fr: 'L’heure de fermeture doit différer de l’heure d’ouverture.', en: 'The closing time must differ from the opening time.' },
  url_invalid: { fr: 'Indiquez une adresse web complète, commençant par https://.', en: 'Please enter a full web address starting with https://.' },
  phone_invalid: {
    fr: 'Un numéro de téléphone ne contient que des chiffres, des espaces et + ( ) . / -.',
    en: 'A phone number contains only digits, spaces and + ( ) . / -.',
  },
  field_unknown: {
    fr: 'Ce champ n’existe pas dans le document du site : retirez-le (rien n’a été enregistré).',
    en: 'This field does not exist in the site document: remove it (nothing was saved).',
  },
  control_characters: { fr: 'Ce texte contient des caractères invisibles non permis.', en: 'This text contains invisible characters that are not allowed.' },
  asset_unknown: {
    fr: 'Cette image n’existe pas (ou plus) : envoyez-la à nouveau.',
    en: 'This picture does not exist (any more): please upload it again.',
  },
  site_version_conflict: {
    fr: 'Le site a été modifié ailleurs entre-temps (un autre onglet ?). Rechargez pour voir la dernière version.',
    en: 'The site was changed elsewhere in the meantime (another tab?). Reload to see the latest version.',
  },
  site_not_editable: { fr: 'Cette commande n’est plus modifiable.', en: 'This order can no longer be edited.' },
  site_not_delivered: {
    fr: 'Votre site n’est pas encore livré : il sera mis en ligne avec le contenu enregistré ici.',
    en: 'Your site is not delivered yet: it will go live with the content saved here.',
  },
  image_empty: { fr: 'Le fichier est vide.', en: 'The file is empty.' },
  image_too_large: {
    fr: (p) => `Cette image est trop lourde : ${p.maxMb} Mo au plus.`,
    en: (p) => `This picture is too large: ${p.maxMb} MB at most.`,
  },
  image_type_unsupported: {
    fr: 'Ce fichier n’est pas une image PNG, JPEG, WebP ou GIF (son contenu est vérifié, pas son nom).',
    en: 'This file is not a PNG, JPEG, WebP or GIF picture (its content is checked, not its name).',
  },
  image_corrupt: { fr: 'Cette image est illisible ou abîmée.', en: 'This picture cannot be read or is damaged.' },
  image_dimensions_too_large: {
    fr: (p) => `Cette image est trop grande (${p.width} × ${p.height} pixels) : ${p.max} pixels de côté au plus.`,
    en: (p) => `This picture is too big (${p.width} × ${p.height} pixels): ${p.max} pixels per side at most.`,
  },
  asset_not_found: { fr: 'Image introuvable.', en: 'Picture not found.' },
  asset_in_use: {
    fr: 'Cette image est utilisée par votre site : retirez-la du site avant de la supprimer.',
    en: 'Your site uses this picture: remove it from the site before deleting it.',
  },
  asset_limit_reached: {
    fr: (p) => `Vous avez atteint la limite de ${p.max} images : supprimez-en avant d’en ajouter.`,
    en: (p) => `You have reached the limit of ${p.max} pictures: delete some before adding more.`,
  },
  archive_too_late: {
    fr: 'Votre site est déjà en cours de mise en ligne : il est trop tard pour envoyer une archive. Modifiez-le depuis l’éditeur.',
    en: 'Your site is already being deployed: it is too late to upload an archive. Edit it from the editor instead.',
  },
  archive_too_large: {
    fr: (p) => `L’archive est trop lourde : ${p.maxMb} Mo au plus.`,
    en: (p) => `The archive is too large: ${p.maxMb} MB at most.`,
  },
  archive_raw_body_required: {
    fr: 'Envoyez le fichier ZIP lui-même comme corps de la requête (Content-Type: application/zip), pas dans un formulaire multipart/form-data.',
    en: 'Send the ZIP file itself as the raw request body (Content-Type: application/zip), not inside a multipart/form-data form.',
  },
  image_raw_body_required: {
    fr: 'Envoyez l’image elle-même comme corps de la requête, pas dans un formulaire multipart/form-data.',
    en: 'Send the picture itself as the raw request body, not inside a multipart/form-data form.',
  },
  archive_invalid: { fr: 'Ce fichier n’est pas une archive ZIP lisible.', en: 'This file is not a readable ZIP archive.' },
  archive_too_many_files: {
    fr: (p) => `L’archive contient trop de fichiers : ${p.max} au plus.`,
    en: (p) => `The archive holds too many files: ${p.max} at most.`,
  },
  archive_unsafe_path: {
    fr: (p) => `L’archive contient un chemin dangereux (« ${p.path} ») : les chemins doivent rester dans le site, sans « .. », sans « \\ » ni chemin absolu.`,
    en: (p) => `The archive holds an unsafe path ("${p.path}"): paths must stay inside the site, with no "..", no "\\" and no absolute path.`,
  },
  archive_link: {
    fr: (p) => `L’archive contient un lien symbolique ou un fichier spécial (« ${p.path} ») : seuls les fichiers ordinaires sont acceptés.`,
    en: (p) => `The archive holds a symbolic link or a special file ("${p.path}"): only regular files are accepted.`,
  },
  archive_encrypted: {
    fr: (p) => `L’archive contient un fichier chiffré (« ${p.path} ») : envoyez-la sans mot de passe.`,
    en: (p) => `The archive holds an encrypted file ("${p.path}"): please send it without a password.`,
  },
  archive_unsupported_compression: {
    fr: (p) => `L’archive utilise une compression non prise en charge (« ${p.path} ») : créez-la en ZIP standard.`,
    en: (p) => `The archive uses an unsupported compression ("${p.path}"): please create a standard ZIP.`,
  },
  archive_duplicate_entry: {
    fr: (p) => `L’archive contient deux fois le même nom (« ${p.path} »).`,
    en: (p) => `The archive holds the same name twice ("${p.path}").`,
  },
  archive_too_large_uncompressed: {
    fr: (p) => `Une fois décompressés, les fichiers de l’archive dépassent ${p.maxMb} Mo.`,
    en: (p) => `Once uncompressed, the archive's files exceed ${p.maxMb} MB.`,
  },
  archive_compression_ratio: {
    fr: (p) => `Un fichier de l’archive (« ${p.path} ») se décompresse de façon anormale (bombe ZIP ?) : archive refusée.`,
    en: (p) => `A file in the archive ("${p.path}") decompresses abnormally (a zip bomb?): archive refused.`,
  },
  archive_corrupt: {
    fr: (p) => `L’archive est abîmée : le fichier « ${p.path} » ne correspond pas à ce qu’annonce l’archive.`,
    en: (p) => `The archive is damaged: the file "${p.path}" does not match what the archive says about it.`,
  },
  archive_no_index: {
    fr: 'L’archive doit contenir un fichier index.html à sa racine (ou à la racine d’un unique dossier).',
    en: 'The archive must hold an index.html file at its root (or at the root of a single folder).',
  },
  // a dependency (the database, a provider) does not answer for a moment: the answer is a 503 with Retry-After
  temporarily_unavailable: {
    fr: 'Le service est momentanément indisponible ; rien n’a été perdu. Réessayez dans quelques secondes.',
    en: 'The service is briefly unavailable; nothing was lost. Please try again in a few seconds.',
  },
  // more requests than this process can work on at once: refused before anything was done or stored
  busy: {
    fr: 'Beaucoup de demandes arrivent en ce moment ; la vôtre n’a pas encore été traitée et rien n’a été enregistré. Réessayez dans un instant.',
    en: 'Many requests are arriving right now; yours has not been processed yet and nothing was stored. Please try again in a moment.',
  },
  internal_error: {
    fr: 'Une erreur inattendue est survenue ; rien n’a été perdu. Réessayez dans un instant.',
    en: 'An unexpected error occurred; nothing was lost. Please try again shortly.',
  },
};

export function errorMessage(code: ErrorCode, locale: Locale, params: Params = {}): string {
  const m = messages[code] ?? messages.internal_error;
  const t = m[locale];
  return typeof t === 'function' ? t(params) : t;
}

/** Whether a code from elsewhere (a response being checked) is one of ours, with its message. */
export function hasMessage(code: string): code is ErrorCode {
  return isErrorCode(code);
}

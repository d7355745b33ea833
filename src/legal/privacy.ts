// The privacy policy, version by version, in French and English: who is responsible, what is collected and why (GDPR
// art. 13), who receives it, how long it is kept (the same list an erasure answers with: src/legal/retention.ts), and
// the customer's rights with the ways to use them from the tracking page.
import type { Locale } from '../domain/locale.ts';
import type { LegalContext, LegalSection, LegalVersion } from './documents.ts';
import { ERASED, KEPT_AFTER_ERASURE } from './retention.ts';
import { sellerLines } from './seller.ts';

const words = {
  fr: {
    title: 'Politique de confidentialité',
    controller: '1. Responsable du traitement',
    collected: '2. Ce que nous recueillons et pourquoi',
    collectedText: [
      'Pour exécuter votre commande (RGPD, art. 6.1 b) : le nom de votre entreprise, votre adresse e-mail, votre ville, le titulaire du nom de domaine (nom, adresse, téléphone, e-mail, et ce que le registre exige), le contenu de votre site, le moyen de paiement choisi.',
      'Pour prouver le contrat et nos obligations légales (art. 6.1 c) : la version des conditions acceptée, sa date et l’adresse IP d’où vous l’avez acceptée, les factures.',
      'Votre avis de satisfaction, si vous le donnez (art. 6.1 f : améliorer le service). Nos journaux techniques ne contiennent aucune donnée personnelle.',
    ],
    recipients: '3. Destinataires',
    recipientsText: [
      'Stripe ou PayPal (le paiement), Namecheap et le registre du nom (l’enregistrement, qui publie ou masque le titulaire selon les règles du registre), Netlify (l’hébergement du site), notre prestataire d’e-mail. Certains sont établis hors de l’Union européenne et encadrent ces transferts par les clauses contractuelles types de la Commission européenne.',
    ],
    retention: '4. Durées de conservation',
    active: (days: number) => [
      'Pendant le service (commande, site en ligne et surveillé) : tout ce qui est nécessaire pour le rendre.',
      `Commande jamais payée : ses données personnelles sont effacées ${days} jours après la commande.`,
      'Sur demande d’effacement, ou au terme du service, seul reste ce que la loi impose :',
    ],
    item: (what: string, why: string, until: string) => `${what} Pourquoi : ${why} Combien de temps : ${until}`,
    rights: '5. Vos droits',
    rightsText: (email: string) => [
      'Vous pouvez obtenir toutes les données que nous détenons sur vous (fichier JSON, toutes vos commandes à la même adresse) et en demander l’effacement, depuis la page de suivi de votre commande (et depuis votre espace client). L’effacement est immédiat, sauf pendant qu’une commande payée est en cours : il est possible dès sa livraison ou son remboursement.',
      `Pour la rectification, la limitation, l’opposition ou toute question : ${email}. Vous pouvez aussi saisir la CNIL (www.cnil.fr).`,
    ],
  },
  en: {
    title: 'Privacy policy',
    controller: '1. Data controller',
    collected: '2. What we collect and why',
    collectedText: [
      'To perform your order (GDPR art. 6(1)(b)): your business name, your email address, your city, the domain holder (name, address, phone, email, and what the registry requires), your site’s content, the payment method chosen.',
      'To prove the contract and meet our legal obligations (art. 6(1)(c)): the version of the terms accepted, when, and the IP address it was accepted from, the invoices.',
      'Your satisfaction answer, if you give one (art. 6(1)(f): improving the service). Our technical logs hold no personal data.',
    ],
    recipients: '3. Recipients',
    recipientsText: [
      'Stripe or PayPal (payment), Namecheap and the name’s registry (registration, which publishes or hides the holder under the registry’s rules), Netlify (hosting the site), our email provider. Some are established outside the European Union and cover these transfers with the European Commission’s standard contractual clauses.',
    ],
    retention: '4. How long data is kept',
    active: (days: number) => [
      'During the service (the order, the site online and monitored): whatever is needed to provide it.',
      `An order never paid: its personal data is erased ${days} days after it was placed.`,
      'On a request for erasure, or when the service ends, only what the law requires remains:',
    ],
    item: (what: string, why: string, until: string) => `${what} Why: ${why} How long: ${until}`,
    rights: '5. Your rights',
    rightsText: (email: string) => [
      'You can get all the data we hold about you (a JSON file, every order placed with the same address) and ask for its erasure, from your order’s tracking page (and from your customer space). Erasure is immediate, except while a paid order is in progress: it is possible once that order is delivered or refunded.',
      `For rectification, restriction, objection or any question: ${email}. You may also complain to the CNIL (www.cnil.fr), France’s data protection authority.`,
    ],
  },
} satisfies Record<Locale, unknown>;

const v20261207: LegalVersion = {
  version: '2026-12-07',
  write(locale: Locale, ctx: LegalContext) {
    const w = words[locale];
    const sections: LegalSection[] = [
      { heading: w.controller, paragraphs: sellerLines(ctx.seller, locale) },
      { heading: w.collected, paragraphs: w.collectedText },
      { heading: w.recipients, paragraphs: w.recipientsText },
      {
        heading: w.retention,
        paragraphs: [
          ...w.active(ctx.unpaidRetentionDays),
          ...KEPT_AFTER_ERASURE.map((k) => w.item(k.what[locale], k.why[locale], k.until[locale])),
          ERASED[locale],
        ],
      },
      { heading: w.rights, paragraphs: w.rightsText(ctx.seller.email) },
    ];
    return { title: w.title, sections };
  },
};

export const PRIVACY_VERSIONS: readonly LegalVersion[] = [v20261207];
export const CURRENT_PRIVACY = PRIVACY_VERSIONS[PRIVACY_VERSIONS.length - 1]!;

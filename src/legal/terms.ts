// The terms of sale, version by version, in French and English. The withdrawal clauses follow the Code de la
// consommation: 14 days for a service contract concluded at a distance (L221-18), the work started within them only on
// the consumer's express request (L221-25), no withdrawal once the service is fully performed after that request and
// the acknowledgement that the right is then lost (L221-28 1°), the model withdrawal form (R221-1 and its annex).
import type { Locale } from '../domain/locale.ts';
import { legalPath, type LegalContext, type LegalSection, type LegalVersion } from './documents.ts';
import { sellerLines } from './seller.ts';

const v20261207: LegalVersion = {
  version: '2026-12-07',
  write(locale: Locale, ctx: LegalContext) {
    const s = ctx.seller;
    const privacy = `${ctx.publicUrl}${legalPath('privacy', locale)}`;
    const sellerAddress = `${s.legalName}, ${s.address}, ${s.postalCode} ${s.city}, ${s.email}`;
    const fr: LegalSection[] = [
      { heading: '1. Le vendeur', paragraphs: sellerLines(s, 'fr') },
      {
        heading: '2. Le service',
        paragraphs: [
          'Nous mettons en ligne le site de votre entreprise à votre propre nom de domaine : vérification du nom, achat du nom pour un an à votre nom, hébergement, déploiement, certificat HTTPS, DNS, vérification, puis surveillance du site.',
          'Le délai (express ou standard) est celui indiqué au devis ; il court à partir du paiement.',
        ],
      },
      {
        heading: '3. Prix et paiement',
        paragraphs: [
          'Le prix est celui du devis affiché avant le paiement : l’enregistrement du nom pour un an, le service, et le supplément express le cas échéant. Il est payable en une fois, par carte (Stripe) ou PayPal, avant le début du travail.',
          'Une facture est émise pour chaque paiement et un avoir pour chaque remboursement.',
        ],
      },
      {
        heading: '4. Commande',
        paragraphs: [
          'La commande est passée quand vous acceptez les présentes conditions et payez. Si le nom ne peut pas être acheté, vous pouvez en choisir un autre ; sinon, vous êtes remboursé intégralement.',
        ],
      },
      {
        heading: '5. Droit de rétractation (consommateurs)',
        paragraphs: [
          'Consommateur, vous disposez de 14 jours à compter de la commande pour vous rétracter sans donner de motif (Code de la consommation, art. L221-18).',
          'Le travail commence dès le paiement seulement si vous le demandez expressément en cochant la case prévue (art. L221-25). Si vous vous rétractez ensuite, vous payez la part du service déjà fournie jusqu’à votre rétractation (notamment le nom de domaine déjà enregistré à votre nom) ; le reste vous est remboursé, avec un avoir.',
          'Une fois le service pleinement exécuté (site livré) avant la fin des 14 jours, à votre demande et en reconnaissant la perte de votre droit, vous ne pouvez plus vous rétracter (art. L221-28, 1°).',
          'Pour vous rétracter : depuis la page de suivi de votre commande, ou en nous écrivant une déclaration dénuée d’ambiguïté, par exemple avec ce modèle (art. R221-1) : « À l’attention de ' +
            sellerAddress +
            ' : je vous notifie par la présente ma rétractation du contrat portant sur la prestation de services ci-dessous. Commandé le : … Nom du consommateur : … Adresse du consommateur : … Date : … ». Le remboursement est fait par le moyen de paiement utilisé, dans les 14 jours.',
        ],
      },
      {
        heading: '6. Clients professionnels',
        paragraphs: [
          'Le droit de rétractation protège les consommateurs : un client professionnel qui commande pour son activité n’en bénéficie pas, sauf dans le cas prévu à l’article L221-3 du Code de la consommation (au plus cinq salariés, contrat hors du champ de son activité principale).',
        ],
      },
      {
        heading: '7. Le nom de domaine et le site',
        paragraphs: [
          'Le nom est enregistré à votre nom (le titulaire indiqué dans la commande) pour un an ; son renouvellement vous est proposé avant l’échéance. Le contenu du site est le vôtre : vous en êtes responsable et vous pouvez le modifier depuis l’éditeur.',
        ],
      },
      {
        heading: '8. Responsabilité',
        paragraphs: [
          'Si le délai promis n’est pas tenu, ou si le site ne peut pas être livré, nous vous remboursons selon ce que la page de suivi indique. Notre responsabilité ne s’étend pas aux interruptions des registres, hébergeurs ou moyens de paiement que nous ne maîtrisons pas, au-delà de ce que la loi impose.',
        ],
      },
      {
        heading: '9. Données personnelles',
        paragraphs: [`Ce que nous conservons, pourquoi et combien de temps, et comment l’exporter ou l’effacer : ${privacy}.`],
      },
      {
        heading: '10. Réclamations, médiation, droit applicable',
        paragraphs: [
          `Écrivez-nous d’abord à ${ctx.supportEmail}. Consommateur, vous pouvez ensuite recourir gratuitement à un médiateur de la consommation (art. L612-1).`,
          'Les présentes conditions sont soumises au droit français. Un consommateur garde la protection des règles impératives de son pays de résidence.',
        ],
      },
    ];
    const en: LegalSection[] = [
      { heading: '1. The seller', paragraphs: sellerLines(s, 'en') },
      {
        heading: '2. The service',
        paragraphs: [
          'We put your business’s website online at your own domain name: the name checked, bought for one year in your name, hosting, deployment, HTTPS certificate, DNS, verification, then monitoring of the site.',
          'The deadline (express or standard) is the one on the quote; it runs from payment.',
        ],
      },
      {
        heading: '3. Price and payment',
        paragraphs: [
          'The price is the quote shown before payment: the name’s registration for one year, the service, and the express surcharge if chosen. It is paid at once, by card (Stripe) or PayPal, before the work starts.',
          'An invoice is issued for every payment and a credit note for every refund.',
        ],
      },
      {
        heading: '4. Ordering',
        paragraphs: [
          'The order is placed when you accept these terms and pay. If the name cannot be bought, you may choose another one; otherwise you are refunded in full.',
        ],
      },
      {
        heading: '5. Right of withdrawal (consumers)',
        paragraphs: [
          'As a consumer, you have 14 days from the order to withdraw without giving a reason (French Code de la consommation, art. L221-18).',
          'The work starts on payment only if you expressly ask for it by ticking the box provided (art. L221-25). If you withdraw afterwards, you pay for the part of the service provided until you withdraw (in particular the domain name already registered in your name); the rest is refunded, with a credit note.',
          'Once the service has been fully performed (the site delivered) before the 14 days end, at your request and with your acknowledgement that you then lose the right, you can no longer withdraw (art. L221-28, 1°).',
          'To withdraw: from your order’s tracking page, or by writing to us an unequivocal statement, for instance with this model (art. R221-1): “To ' +
            sellerAddress +
            ': I hereby give notice that I withdraw from my contract for the provision of the following service. Ordered on: … Name of consumer: … Address of consumer: … Date: …”. The refund uses the means of payment you used, within 14 days.',
        ],
      },
      {
        heading: '6. Business customers',
        paragraphs: [
          'The right of withdrawal protects consumers: a business customer ordering for its trade does not have it, except in the case of article L221-3 of the Code de la consommation (at most five employees, a contract outside its main line of business).',
        ],
      },
      {
        heading: '7. The domain name and the site',
        paragraphs: [
          'The name is registered in your name (the holder given with the order) for one year; its renewal is offered to you before it expires. The site’s content is yours: you are responsible for it and may change it from the editor.',
        ],
      },
      {
        heading: '8. Liability',
        paragraphs: [
          'If the promised deadline is missed, or the site cannot be delivered, we refund you as the tracking page says. We are not liable for outages of registries, hosts or payment providers beyond our control, beyond what the law requires.',
        ],
      },
      {
        heading: '9. Personal data',
        paragraphs: [`What we keep, why and for how long, and how to export or erase it: ${privacy}.`],
      },
      {
        heading: '10. Complaints, mediation, governing law',
        paragraphs: [
          `Write to us first at ${ctx.supportEmail}. As a consumer, you may then turn to a consumer mediator free of charge (art. L612-1).`,
          'These terms are governed by French law. A consumer keeps the protection of the mandatory rules of their country of residence.',
        ],
      },
    ];
    return { title: locale === 'fr' ? 'Conditions générales de vente' : 'Terms of sale', sections: locale === 'fr' ? fr : en };
  },
};

/**
 * The complaints clause naming the consumer mediator the seller adheres to (L616-1, R616-1: its name, address and
 * website), reached once a written complaint to us failed, within a year of it (L612-2). No link to the EU's online
 * dispute resolution platform: closed on 20 July 2025 (Regulation (EU) 2024/3228).
 */
function complaints(locale: Locale, ctx: LegalContext): LegalSection {
  const m = ctx.mediator;
  const where = `${m.name}, ${m.address}, ${m.url}`;
  if (locale === 'fr') {
    return {
      heading: '10. Réclamations, médiation, droit applicable',
      paragraphs: [
        `Écrivez-nous d’abord à ${ctx.supportEmail}.`,
        `Consommateur, si votre réclamation écrite n’a pas abouti, vous pouvez recourir gratuitement, dans l’année qui la suit, au médiateur de la consommation auquel nous adhérons (Code de la consommation, art. L612-1, L612-2 et L616-1) : ${where}.`,
        ...(m.example ? ['Médiateur d’exemple : les réglages MEDIATOR_* ne sont pas renseignés.'] : []),
        'Les présentes conditions sont soumises au droit français. Un consommateur garde la protection des règles impératives de son pays de résidence.',
      ],
    };
  }
  return {
    heading: '10. Complaints, mediation, governing law',
    paragraphs: [
      `Write to us first at ${ctx.supportEmail}.`,
      `As a consumer, if your written complaint did not settle the matter, you may turn free of charge, within a year of it, to the consumer mediator we adhere to (French Code de la consommation, art. L612-1, L612-2 and L616-1): ${where}.`,
      ...(m.example ? ['Example mediator: the MEDIATOR_* settings are not set.'] : []),
      'These terms are governed by French law. A consumer keeps the protection of the mandatory rules of their country of residence.',
    ],
  };
}

/** The terms of 2026-12-07 with the mediator named in their complaints clause. */
const v20261208: LegalVersion = {
  version: '2026-12-08',
  write(locale: Locale, ctx: LegalContext) {
    const previous = v20261207.write(locale, ctx);
    return { ...previous, sections: previous.sections.map((section, i) => (i === 9 ? complaints(locale, ctx) : section)) };
  },
};

/** Every version, the current one last. */
export const TERMS_VERSIONS: readonly LegalVersion[] = [v20261207, v20261208];
export const CURRENT_TERMS = TERMS_VERSIONS[TERMS_VERSIONS.length - 1]!;

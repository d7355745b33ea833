// "Are you satisfied?" on the tracking page, in French and English (the email's answer page says the same).
import type { Locale } from '../i18n.ts';

const fr = {
  title: 'Êtes-vous satisfait ?',
  lead: {
    delivered: 'Un clic suffit : choisissez une note de 1 à 5, puis ajoutez un commentaire si vous le souhaitez.',
    refunded: 'Nous n’avons pas pu livrer votre site, et votre avis compte d’autant plus : choisissez une note de 1 à 5.',
  },
  scale: 'Votre note, de 1 (pas du tout) à 5 (très satisfait)',
  labels: ['Pas du tout', 'Peu', 'Moyennement', 'Satisfait', 'Très satisfait'],
  recorded: (score: number) => `Merci ! Votre note : ${score} sur 5.`,
  changeUntil: (until: string) => `Vous pouvez la changer jusqu’au ${until} : c’est votre dernière réponse qui compte.`,
  comment: 'Un commentaire ? (facultatif)',
  commentHint: 'Lu par notre équipe avec votre commande, jamais publié.',
  send: 'Envoyer le commentaire',
  commentSaved: 'Commentaire enregistré, merci.',
  pickFirst: 'Choisissez d’abord une note.',
  closed: (score: number) => `Votre note : ${score} sur 5. Merci pour votre avis.`,
  offline: 'Votre avis n’a pas pu être envoyé. Vérifiez votre connexion puis réessayez.',
};

const en: typeof fr = {
  title: 'Are you satisfied?',
  lead: {
    delivered: 'One click is enough: pick a score from 1 to 5, then add a comment if you like.',
    refunded: 'We could not deliver your site, and your opinion counts all the more: pick a score from 1 to 5.',
  },
  scale: 'Your score, from 1 (not at all) to 5 (very satisfied)',
  labels: ['Not at all', 'Not really', 'Somewhat', 'Satisfied', 'Very satisfied'],
  recorded: (score) => `Thank you! Your score: ${score} out of 5.`,
  changeUntil: (until) => `You can change it until ${until}: your last answer is the one that counts.`,
  comment: 'A comment? (optional)',
  commentHint: 'Read by our team with your order, never published.',
  send: 'Send the comment',
  commentSaved: 'Comment saved, thank you.',
  pickFirst: 'Pick a score first.',
  closed: (score) => `Your score: ${score} out of 5. Thank you for your answer.`,
  offline: 'Your answer could not be sent. Check your connection and try again.',
};

export const satisfactionTexts: Record<Locale, typeof fr> = { fr, en };

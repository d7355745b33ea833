// The console's words for customer satisfaction, in French and English: the figure, its splits, an order's answer.
import type { Locale } from '../i18n.ts';

const fr = {
  title: 'Satisfaction client',
  share: 'Satisfaits (4 ou 5 sur 5)',
  shareHint: (satisfied: number, answers: number): string => `${satisfied} sur ${answers} réponse(s)`,
  responseRate: 'Taux de réponse',
  responseHint: (responded: number, asked: number): string => `${responded} sur ${asked} client(s) interrogé(s)`,
  splits: 'Par formule et par issue',
  split: 'Commandes',
  answers: 'Réponses',
  satisfied: 'Satisfaits',
  names: {
    express: 'Express',
    standard: 'Standard',
    on_time: 'Livrées à temps',
    late: 'Livrées en retard',
    refunded: 'Remboursées',
  } as Record<string, string>,
  scores: 'Réponses par note',
  score: (n: number): string => `Note ${n}`,
  // an order's answer
  answer: 'Avis du client',
  notAsked: 'Pas encore interrogé : la commande n’est ni livrée ni remboursée.',
  notAnswered: 'Pas encore de réponse.',
  given: 'Note',
  comment: 'Commentaire (jamais publié)',
  answeredAt: 'Dernière réponse',
  times: 'Réponses données',
  outcome: 'Issue',
  askedAt: 'Interrogé le',
  remindedAt: 'Relance',
  closesAt: 'Réponses possibles jusqu’au',
};

const en: typeof fr = {
  title: 'Customer satisfaction',
  share: 'Satisfied (4 or 5 of 5)',
  shareHint: (satisfied, answers) => `${satisfied} of ${answers} answer(s)`,
  responseRate: 'Response rate',
  responseHint: (responded, asked) => `${responded} of ${asked} customer(s) asked`,
  splits: 'By tier and outcome',
  split: 'Orders',
  answers: 'Answers',
  satisfied: 'Satisfied',
  names: { express: 'Express', standard: 'Standard', on_time: 'Delivered on time', late: 'Delivered late', refunded: 'Refunded' },
  scores: 'Answers by score',
  score: (n) => `Score ${n}`,
  answer: 'Customer’s answer',
  notAsked: 'Not asked yet: the order is neither delivered nor refunded.',
  notAnswered: 'No answer yet.',
  given: 'Score',
  comment: 'Comment (never published)',
  answeredAt: 'Last answer',
  times: 'Answers given',
  outcome: 'Outcome',
  askedAt: 'Asked on',
  remindedAt: 'Reminder',
  closesAt: 'Answers taken until',
};

export const satisfactionTexts: Record<Locale, typeof fr> = { fr, en };

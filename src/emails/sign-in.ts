// The email with a one-time link to the customer's space (asked for on the sign-in page).
import { button, callout, defineEmail, paragraph } from './define.ts';

export interface SignInView {
  /** the newest order's business and domain: what the address is known for */
  businessName: string;
  domain: string;
  supportEmail: string;
  signInUrl: string;
  /** minutes the link works */
  minutes: number;
}

export const signInEmail = defineEmail(
  {
    fr: {
      subject: 'Votre lien de connexion à votre espace',
      preheader: 'Un lien valable une fois, pendant 15 minutes.',
      intro: 'Voici le lien pour ouvrir votre espace client, où se trouvent vos sites, leurs domaines et leurs enregistrements DNS.',
      open: 'Ouvrir mon espace',
      rule: (m: number) => `Ce lien ne sert qu’une fois et expire dans ${m} minutes. Ne le transférez à personne : il ouvre votre espace.`,
      notYou: 'Vous n’avez rien demandé ? Ignorez ce message : sans ce lien, personne ne peut entrer dans votre espace.',
    },
    en: {
      subject: 'Your sign-in link to your space',
      preheader: 'A link that works once, for 15 minutes.',
      intro: 'Here is the link to open your customer space, where your sites, their domains and their DNS records are.',
      open: 'Open my space',
      rule: (m: number) => `This link works once and expires in ${m} minutes. Do not forward it: it opens your space.`,
      notYou: 'Did not ask for it? Ignore this message: without this link nobody can enter your space.',
    },
  },
  (c, view: SignInView) => ({
    blocks: [paragraph(c.intro), button(c.open, view.signInUrl), callout(c.rule(view.minutes)), paragraph(c.notYou)],
  }),
);

// The console's renewals card: renewals due in 30, 60 and 90 days, declined and in dunning, in grace, transfers out
// (requested and completed, the latest listed), and the coming year's renewal revenue.
import { useLocale } from '../i18n.ts';
import { dateTime, money } from '../format.ts';
import { linkHandler } from '../router.ts';
import { Table } from './PagedTable.tsx';
import { adminApi } from './adminApi.ts';
import { Counts } from './figures.tsx';
import { useLoad } from './useLoad.ts';

const TEXTS = {
  fr: {
    title: 'Renouvellements',
    days30: 'À renouveler sous 30 jours',
    days60: 'Sous 60 jours',
    days90: 'Sous 90 jours',
    dunning: 'Paiements refusés, relances en cours',
    grace: 'Expirés, en délai de grâce',
    transfersOut: 'Transférés ailleurs',
    transfersRequested: 'Transferts demandés',
    revenue: 'Chiffre d’affaires des renouvellements à venir (12 mois) : ',
    transfers: 'Transferts sortants',
    columns: ['Domaine', 'État', 'Verrou', 'Demandé le', 'Parti le'],
    states: { requested: 'demandé : code d’autorisation à faire envoyer par Namecheap', completed: 'terminé' },
    locks: { removed: 'retiré', none: 'aucun (extension sans verrou)' },
  },
  en: {
    title: 'Renewals',
    days30: 'Due within 30 days',
    days60: 'Within 60 days',
    days90: 'Within 90 days',
    dunning: 'Charges declined, in dunning',
    grace: 'Expired, in grace',
    transfersOut: 'Transferred out',
    transfersRequested: 'Transfers requested',
    revenue: 'Coming year’s renewal revenue: ',
    transfers: 'Transfers out',
    columns: ['Domain', 'State', 'Lock', 'Requested', 'Left'],
    states: { requested: 'requested: have Namecheap send the auth code', completed: 'completed' },
    locks: { removed: 'removed', none: 'none (no lock at this extension)' },
  },
};

export function RenewalsCard() {
  const { locale } = useLocale();
  const t = TEXTS[locale];
  const { data } = useLoad(() => adminApi.renewals(), []);
  if (!data) return null;
  return (
    <section className="card" aria-labelledby="o-renewals">
      <h2 id="o-renewals">{t.title}</h2>
      <Counts
        figures={[
          ['renewals-30', t.days30, data.due.days30],
          ['renewals-60', t.days60, data.due.days60],
          ['renewals-90', t.days90, data.due.days90],
          ['renewals-dunning', t.dunning, data.dunning],
          ['renewals-grace', t.grace, data.grace],
          ['renewals-gone', t.transfersOut, data.transfersOut],
          ['transfers-requested', t.transfersRequested, data.transfersRequested],
        ]}
      />
      {data.transfers.length > 0 && (
        <Table caption={t.transfers} columns={t.columns}>
          {data.transfers.map((x) => (
            <tr key={x.orderId} data-transfer={x.state}>
              <td>
                <a href={`/admin/orders/${x.orderId}`} onClick={linkHandler(`/admin/orders/${x.orderId}`)}>
                  {x.domain}
                </a>
              </td>
              <td>{t.states[x.state]}</td>
              <td>{x.lock ? t.locks[x.lock] : '–'}</td>
              <td>{x.requestedAt ? dateTime(String(x.requestedAt), locale) : '–'}</td>
              <td>{x.completedAt ? dateTime(String(x.completedAt), locale) : '–'}</td>
            </tr>
          ))}
        </Table>
      )}
      <p className="small">
        {t.revenue}
        {data.nextYearRevenue.length ? data.nextYearRevenue.map((r) => money(r.amountCents, r.currency, locale)).join(' + ') : '–'}
      </p>
    </section>
  );
}

// The domain's holder on the order's page: who the name is registered to, as the customer gave it (personal data:
// shown to the operator here, never logged).
import { useLocale } from '../i18n.ts';
import { Card } from './PagedTable.tsx';
import type { AdminOrderDetail } from './adminApi.ts';

const FIELDS = [
  'organization',
  'companyId',
  'vatNumber',
  'firstName',
  'lastName',
  'birthDate',
  'birthPlace',
  'address1',
  'address2',
  'postalCode',
  'city',
  'phone',
] as const;

export function HolderCard({ holder }: { holder: AdminOrderDetail['holder'] }) {
  const { t, locale } = useLocale();
  const label = (f: (typeof FIELDS)[number]) => (f === 'organization' ? t.holder.organizationName : f === 'vatNumber' ? 'TVA / VAT' : t.holder[f]);
  return (
    <Card id="holder-title" title={t.modal.steps.holder} empty={!holder && '—'}>
      {holder && (
        <dl className="kv" data-testid="order-holder">
          <dt>{t.holder.legend}</dt>
          <dd>{t.holder[holder.type]}</dd>
          {FIELDS.filter((f) => holder[f]).map((f) => (
            <div key={f} style={{ display: 'contents' }}>
              <dt>{label(f)}</dt>
              <dd>{holder[f]}</dd>
            </div>
          ))}
          <dt>{t.holder.country}</dt>
          <dd>{new Intl.DisplayNames([locale], { type: 'region' }).of(holder.country) ?? holder.country}</dd>
          <dt>E-mail</dt>
          <dd>{holder.email}</dd>
        </dl>
      )}
    </Card>
  );
}

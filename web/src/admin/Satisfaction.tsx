// Customer satisfaction in the console: the figure over a period with its splits (overview, daily report), and one
// order's answer with its comment (the order's page; comments are for operators, never published).
import type { SatisfactionDetail, SatisfactionFigures } from '@contract/satisfaction.ts';
import type { Locale } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { Counts, Stat, orDash, percent } from './figures.tsx';
import { Card, Table } from './PagedTable.tsx';
import { satisfactionTexts } from './satisfactionTexts.ts';

export function SatisfactionFigureList({ s, locale }: { s: SatisfactionFigures; locale: Locale }) {
  const w = satisfactionTexts[locale];
  const pct = (v: number | null) => orDash(v, (x) => percent(x, locale));
  const rows = [
    ...(['express', 'standard'] as const).map((k) => [k, s.byTier[k]] as const),
    ...(['on_time', 'late', 'refunded'] as const).map((k) => [k, s.byOutcome[k]] as const),
  ];
  return (
    <>
      <dl className="stats">
        <Stat id="satisfaction" label={w.share} value={pct(s.share)} hint={w.shareHint(s.satisfied, s.answers)} />
        <Stat id="response-rate" label={w.responseRate} value={pct(s.responseRate)} hint={w.responseHint(s.responded, s.asked)} />
      </dl>
      <Table caption={w.splits} columns={[w.split, { label: w.answers, className: 'num' }, w.satisfied, w.responseRate]}>
        {rows.map(([k, x]) => (
          <tr key={k} data-split={k}>
            <th scope="row">{w.names[k]}</th>
            <td className="num">{x.answers}</td>
            <td>{pct(x.share)}</td>
            <td>{pct(x.responseRate)}</td>
          </tr>
        ))}
      </Table>
      <Counts figures={([1, 2, 3, 4, 5] as const).map((n) => [`score-${n}`, w.score(n), s.byScore[n]])} />
    </>
  );
}

export function SatisfactionCard({ answer, locale }: { answer: SatisfactionDetail | null; locale: Locale }) {
  const w = satisfactionTexts[locale];
  return (
    <Card id="satisfaction-title" title={w.answer} empty={!answer && w.notAsked}>
      {answer && (
        <dl className="kv" data-testid="order-satisfaction">
          <dt>{w.outcome}</dt>
          <dd>{w.names[answer.outcome] ?? answer.outcome}</dd>
          <dt>{w.askedAt}</dt>
          <dd>{dateTime(answer.askedAt, locale)}</dd>
          <dt>{w.given}</dt>
          <dd>{answer.score === null ? w.notAnswered : `${answer.score} / 5`}</dd>
          <dt>{w.comment}</dt>
          <dd className="wrap pre-line">{answer.comment ?? '—'}</dd>
          <dt>{w.answeredAt}</dt>
          <dd>{dateTime(answer.answeredAt, locale)}</dd>
          <dt>{w.times}</dt>
          <dd>{answer.answers}</dd>
          <dt>{w.remindedAt}</dt>
          <dd>{dateTime(answer.remindedAt, locale)}</dd>
          <dt>{w.closesAt}</dt>
          <dd>{dateTime(answer.closesAt, locale)}</dd>
        </dl>
      )}
    </Card>
  );
}

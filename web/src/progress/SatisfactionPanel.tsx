// "Are you satisfied?" on the tracking page of a delivered or refunded order: one click on a score records it, a comment
// can follow; the last answer counts while the question is open.
import { useState } from 'react';
import { ApiError, api, type OrderStatus } from '../api.ts';
import { useLocale } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { FormError } from '../ui/Form.tsx';
import { satisfactionTexts } from './satisfactionTexts.ts';
import type { SatisfactionAnswer } from '@contract/satisfaction.ts';

type Asked = NonNullable<OrderStatus['satisfaction']>;
type Score = SatisfactionAnswer['score'];

export function SatisfactionPanel({ asked, refunded, token }: { asked: Asked; refunded: boolean; token: string }) {
  const { locale } = useLocale();
  const s = satisfactionTexts[locale];
  // what the server last said: the status, then each answer's reply (the live stream does not carry answers)
  const [answer, setAnswer] = useState(asked);
  const [comment, setComment] = useState(asked.comment ?? '');
  const [said, setSaid] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!answer.open) {
    if (answer.score === null) return null;
    return (
      <section className="panel panel-info satisfaction" aria-labelledby="satisfaction-title">
        <h3 id="satisfaction-title">{s.title}</h3>
        <p>{s.closed(answer.score)}</p>
      </section>
    );
  }

  const send = async (body: SatisfactionAnswer, done: string | null) => {
    setBusy(true);
    setError(null);
    setSaid(null);
    try {
      const reply = await api.answerSatisfaction(token, body, locale);
      setAnswer(reply);
      setComment(reply.comment ?? '');
      setSaid(done);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : s.offline);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel panel-info satisfaction" aria-labelledby="satisfaction-title" data-testid="satisfaction">
      <h3 id="satisfaction-title">{s.title}</h3>
      <p>{refunded ? s.lead.refunded : s.lead.delivered}</p>
      <fieldset className="satisfaction-scale">
        <legend>{s.scale}</legend>
        {s.labels.map((label, i) => {
          const score = (i + 1) as Score;
          return (
            <button
              key={score}
              type="button"
              className="satisfaction-choice"
              aria-pressed={answer.score === score}
              disabled={busy}
              onClick={() => send({ score }, null)}
            >
              <span className="satisfaction-score">{score}</span>
              <span className="satisfaction-label">{label}</span>
            </button>
          );
        })}
      </fieldset>
      {answer.score !== null && (
        <p role="status">
          {said ?? s.recorded(answer.score)} {s.changeUntil(dateTime(String(answer.closesAt), locale))}
        </p>
      )}
      <form
        className="satisfaction-comment"
        onSubmit={(e) => {
          e.preventDefault();
          if (answer.score === null) setError(s.pickFirst);
          else void send({ score: answer.score as Score, comment }, s.commentSaved);
        }}
      >
        <label htmlFor="satisfaction-comment">{s.comment}</label>
        <textarea
          id="satisfaction-comment"
          rows={3}
          maxLength={1000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          aria-describedby="satisfaction-comment-hint"
        />
        <p className="muted small" id="satisfaction-comment-hint">
          {s.commentHint}
        </p>
        <FormError error={error} />
        <button type="submit" className="button button-ghost" disabled={busy}>
          {s.send}
        </button>
      </form>
    </section>
  );
}

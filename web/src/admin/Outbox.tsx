// The outbox: every email the sandbox SMTP server received (or our outbox's record), each rendered in a sandboxed frame.
import { useState } from 'react';
import { useLocale } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { adminApi } from './adminApi.ts';
import { adminTexts } from './texts.ts';
import { useLoad } from './useLoad.ts';

export function Outbox() {
  const { locale } = useLocale();
  const a = adminTexts[locale];
  const { data, failed, reload } = useLoad(() => adminApi.outbox(), []);
  const [selected, setSelected] = useState(0);
  const [view, setView] = useState<'html' | 'text'>('html');

  if (failed)
    return (
      <p className="notice notice-error">
        {a.failed}{' '}
        <button type="button" className="button button-ghost button-small" onClick={reload}>
          {a.retryLoad}
        </button>
      </p>
    );
  if (!data) return <p className="muted">{a.loading}</p>;
  const message = data.messages[selected];
  return (
    <>
      <h1>{a.outbox.title}</h1>
      <p className="muted">{a.outbox.source(data.source)}</p>
      {data.messages.length === 0 ? (
        <p className="muted">{a.outbox.empty}</p>
      ) : (
        <div className="outbox">
          <ul className="outbox-list">
            {data.messages.map((m, i) => (
              <li key={m.messageId || i}>
                <button type="button" className={`outbox-item ${i === selected ? 'selected' : ''}`} aria-pressed={i === selected} onClick={() => setSelected(i)}>
                  <span className="outbox-subject">{m.subject}</span>
                  <span className="muted small">
                    {m.to.join(', ')} · {dateTime(m.date, locale)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {message && (
            <section className="outbox-preview card" aria-label={a.outbox.preview}>
              <h2>{message.subject}</h2>
              <p className="muted small">
                {a.outbox.from} {message.from} → {message.to.join(', ')} · {dateTime(message.date, locale)}
              </p>
              <div className="segmented" role="group">
                <button type="button" aria-pressed={view === 'html'} onClick={() => setView('html')}>
                  {a.outbox.html}
                </button>
                <button type="button" aria-pressed={view === 'text'} onClick={() => setView('text')}>
                  {a.outbox.text}
                </button>
              </div>
              {view === 'html' ? (
                // sandbox="" : no scripts, no forms, no same-origin access; the email is only looked at
                <iframe className="outbox-frame" title={`${a.outbox.preview}: ${message.subject}`} sandbox="" srcDoc={message.html} />
              ) : (
                <pre className="outbox-text">{message.text}</pre>
              )}
            </section>
          )}
        </div>
      )}
    </>
  );
}

// The outbox: every email as our outbox holds it (queued, sending, sent, failed), by state, searched by recipient or subject, paged on the server; the chosen one rendered in a sandboxed frame.
import { useState } from 'react';
import { useLocale } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { adminApi, type OutboxEmail } from './adminApi.ts';
import { adminTexts } from './texts.ts';
import { useLoad } from './useLoad.ts';
import { PagedTable, options, useFilters } from './PagedTable.tsx';

export function Outbox() {
  const { locale } = useLocale();
  const a = adminTexts[locale];
  const o = a.outbox;
  const filters = useFilters();
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <>
      <h1>{o.title}</h1>
      <PagedTable<OutboxEmail>
        id="m"
        texts={o}
        filters={[{ name: 'state', label: o.state, all: o.all, options: options(o.states) }]}
        formClass="filters-two"
        state={filters}
        load={adminApi.outbox}
      >
        {(emails) => {
          // the first of the page until another is chosen
          const selected = emails.find((m) => m.id === chosen) ?? emails[0]!;
          return (
            <div className="outbox">
              <ul className="outbox-list">
                {emails.map((m) => (
                  <li key={m.id}>
                    <button
                      type="button"
                      className={`outbox-item ${m.id === selected.id ? 'selected' : ''}`}
                      aria-pressed={m.id === selected.id}
                      onClick={() => setChosen(m.id)}
                    >
                      <span className="outbox-subject">{m.subject}</span>
                      <span className="muted small">
                        {m.to} · {dateTime(m.sentAt ?? m.createdAt, locale)} · {o.states[m.state] ?? m.state}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
              <Preview id={selected.id} />
            </div>
          );
        }}
      </PagedTable>
    </>
  );
}

function Preview({ id }: { id: string }) {
  const { locale } = useLocale();
  const a = adminTexts[locale];
  const o = a.outbox;
  const { data, failed } = useLoad(() => adminApi.outboxEmail(id), [id]);
  const [view, setView] = useState<'html' | 'text'>('html');
  const message = data?.id === id ? data : null;
  return (
    <section className="outbox-preview card" aria-label={o.preview}>
      {failed && <p className="notice notice-error">{a.failed}</p>}
      {!message && !failed && <p className="muted">{a.loading}</p>}
      {message && (
        <>
          <h2>{message.subject}</h2>
          <p className="muted small">
            {o.from} {message.from} → {message.to} · {dateTime(message.sentAt ?? message.createdAt, locale)} · {o.states[message.state] ?? message.state}
          </p>
          {message.lastError && <p className="notice notice-error small">{message.lastError}</p>}
          {/* biome-ignore lint/a11y/useSemanticElements: a button group; a fieldset would need a legend and restyling */}
          <div className="segmented" role="group">
            <button type="button" aria-pressed={view === 'html'} onClick={() => setView('html')}>
              {o.html}
            </button>
            <button type="button" aria-pressed={view === 'text'} onClick={() => setView('text')}>
              {o.text}
            </button>
          </div>
          {view === 'html' ? (
            // sandbox="" : no scripts, no forms, no same-origin access; the email is only looked at
            <iframe className="outbox-frame" title={`${o.preview}: ${message.subject}`} sandbox="" srcDoc={message.html} />
          ) : (
            <pre className="outbox-text">{message.text}</pre>
          )}
        </>
      )}
    </section>
  );
}

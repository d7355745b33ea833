// One list of the console, as every list is shown: its filters and search box, the true total ("1 548 commandes", "plus de 10 000 commandes"), a page of rows, previous / next page.
// The server filters, searches and pages (a cursor per page); the pages already seen keep their cursors, so "previous" goes back exactly.
import { useEffect, useState, type ReactNode } from 'react';
import { useLocale } from '../i18n.ts';
import { adminTexts } from './texts.ts';
import { useLoad } from './useLoad.ts';
import type { ListParams, Page } from './adminApi.ts';

export const PAGE_SIZE = 50;

export interface Filter {
  name: string;
  label: string;
  /** the label of "no filter" */
  all: string;
  options: { value: string; label: string }[];
}

/** A list's words: its name, its search box, and how many rows match ("3 orders"; with exact false, "more than 10,000 orders"). */
export interface ListTexts {
  title: string;
  search: string;
  searchHint: string;
  count(n: number, exact: boolean): string;
}

export interface PagedTableProps<T> {
  /** prefix of the fields' ids, unique on the page */
  id: string;
  texts: ListTexts;
  filters?: Filter[];
  /** the filters' and the search's current values (`q` for the search), and how one changes (useFilters) */
  state: [values: Record<string, string>, onChange: (name: string, value: string) => void];
  /** more fields in the same form (a checkbox, dates) */
  extra?: ReactNode;
  load(params: ListParams): Promise<Page<T>>;
  /** the rows of a page (a table, a list); `reload` reads the same page again */
  children(items: T[], reload: () => void): ReactNode;
  /** read the page again every so often (alerts, sites) */
  refreshMs?: number;
  /** a layout class for the filter form */
  formClass?: string;
  /** the page is read again whenever this changes (something elsewhere on the page changed the list) */
  refreshKey?: unknown;
}

/** A filter's options from a map of value → label. */
export const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

export function PagedTable<T>(props: PagedTableProps<T>) {
  const { locale } = useLocale();
  const a = adminTexts[locale];
  const { id, texts } = props;
  const [values, onChange] = props.state;
  const key = JSON.stringify(values);
  // the cursor of every page seen so far: [undefined (the first), page 2's, ...]
  const [pages, setPages] = useState<{ key: string; cursors: (string | undefined)[] }>({ key, cursors: [undefined] });
  // other filters, other list: back to its first page
  const cursors = pages.key === key ? pages.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  const first = (cursors.length - 1) * PAGE_SIZE;
  const token = `${key} ${cursor ?? ''}`;
  // the page shown stays until the next one arrives; it knows which it is, so its row numbers stay right meanwhile
  const { data, failed, reload } = useLoad(
    async () => ({ token, first, page: await props.load({ ...values, cursor, limit: String(PAGE_SIZE) }) }),
    [key, cursor, props.refreshKey],
  );
  useEffect(() => {
    if (!props.refreshMs) return;
    const timer = setInterval(reload, props.refreshMs);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, cursor, props.refreshMs]);

  // the search box: typed freely, asked for once typing pauses; a change from outside (a link) resets it
  const q = values.q ?? '';
  const [typed, setTyped] = useState(q);
  useEffect(() => setTyped((s) => (s.trim() === q ? s : q)), [q]);
  useEffect(() => {
    if (typed.trim() === q) return;
    const timer = setTimeout(() => onChange('q', typed.trim()), 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [typed, q]);

  const shown = data?.page;
  const busy = data?.token !== token;
  const from = data?.first ?? 0;
  const paged = !!shown && (!!shown.nextCursor || from > 0);
  return (
    <>
      {/* biome-ignore lint/a11y/useSemanticElements: a form with the search landmark role is the pattern for a filter bar */}
      <form className={`filters ${props.formClass ?? ''}`} role="search" aria-label={texts.title} onSubmit={(e) => e.preventDefault()}>
        <div className="field field-search">
          <label htmlFor={`${id}-search`}>{texts.search}</label>
          <input id={`${id}-search`} type="search" placeholder={texts.searchHint} value={typed} onChange={(e) => setTyped(e.target.value)} />
        </div>
        {props.filters?.map((f) => (
          <div className="field" key={f.name}>
            <label htmlFor={`${id}-${f.name}`}>{f.label}</label>
            <select id={`${id}-${f.name}`} value={values[f.name] ?? ''} onChange={(e) => onChange(f.name, e.target.value)}>
              <option value="">{f.all}</option>
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ))}
        {props.extra}
      </form>
      {failed && (
        <p className="notice notice-error">
          {a.failed}{' '}
          <button type="button" className="button button-ghost button-small" onClick={reload}>
            {a.retryLoad}
          </button>
        </p>
      )}
      {!shown && !failed && <p className="muted">{a.loading}</p>}
      {shown && (
        <>
          <p className="muted list-count" role="status">
            <span>{texts.count(shown.total, shown.totalIsExact)}</span>
            {paged && shown.items.length > 0 && <span className="small"> · {a.paging.rows(from + 1, from + shown.items.length)}</span>}
          </p>
          {shown.items.length > 0 && props.children(shown.items, reload)}
          {paged && (
            <nav className="pager" aria-label={a.paging.label(texts.title)}>
              <button
                type="button"
                className="button button-ghost button-small"
                disabled={busy || cursors.length < 2}
                onClick={() => setPages({ key, cursors: cursors.slice(0, -1) })}
              >
                {a.paging.previous}
              </button>
              <button
                type="button"
                className="button button-ghost button-small"
                disabled={busy || !shown.nextCursor}
                onClick={() => shown.nextCursor && setPages({ key, cursors: [...cursors, shown.nextCursor] })}
              >
                {a.paging.next}
              </button>
            </nav>
          )}
        </>
      )}
    </>
  );
}

/** Filters kept in the component's state (the lists whose filters are not in the address). */
export function useFilters(initial: Record<string, string> = {}): [Record<string, string>, (name: string, value: string) => void] {
  const [values, setValues] = useState(initial);
  return [values, (name, value) => setValues((v) => ({ ...v, [name]: value }))];
}

/** A column heading: its text, or `hidden` to name it for screen readers only (a visually hidden span would widen the page on a phone). */
export type Column = string | { label: string; className?: string; hidden?: boolean };

/** A list's table: a caption for screen readers, the column headings, and the rows given. */
export function Table({ caption, columns, children }: { caption: string; columns: Column[]; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {/* biome-ignore-start lint/suspicious/noArrayIndexKey: the columns are fixed for a table's life; two may share a label */}
            {columns.map((c, i) => {
              const col = typeof c === 'string' ? { label: c } : c;
              return col.hidden ? (
                <th key={`${col.label}-${i}`} scope="col" aria-label={col.label} />
              ) : (
                <th key={`${col.label}-${i}`} scope="col" className={col.className}>
                  {col.label}
                </th>
              );
            })}
            {/* biome-ignore-end lint/suspicious/noArrayIndexKey: the columns are fixed */}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A card of a page, its heading naming the region; `empty` (when set) is said instead of the content. */
export function Card({ id, title, empty, children }: { id: string; title: string; empty?: string | false; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {empty ? <p className="muted">{empty}</p> : children}
    </section>
  );
}

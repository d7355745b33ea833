// Keyset paging for the admin lists: a page after an opaque cursor, the matching rows' true total (capped), one statement.
import { sql, type RawBuilder } from 'kysely';
import type { Database } from './database.ts';
import { AppError } from '../errors.ts';

/** Rows are counted exactly up to this many; past it a list says "more than TOTAL_CAP" (totalIsExact: false). */
export const TOTAL_CAP = 10_000;

/** One shape for every admin list. */
export interface Page<T> {
  items: T[];
  /** the rows matching the filters, at most TOTAL_CAP */
  total: number;
  /** false when more than TOTAL_CAP rows match: `total` is then the cap */
  totalIsExact: boolean;
  /** pass it back as `cursor` for the rows after this page; null on the last page */
  nextCursor: string | null;
}

/** How a key travels in a cursor and is checked when it comes back (a value that would not cast is refused, never sent to SQL). */
const KEY_TYPES = {
  // microseconds since the epoch: exact, where a JavaScript Date would keep only milliseconds and skip rows
  timestamptz: {
    text: (e: RawBuilder<unknown>) => sql`(extract(epoch from ${e}) * 1000000)::bigint::text`,
    value: (v: string) => sql`(timestamptz 'epoch' + ${v}::bigint * interval '1 microsecond')`,
    valid: (v: string) => /^-?\d{1,16}$/.test(v),
  },
  uuid: {
    text: (e: RawBuilder<unknown>) => sql`${e}::text`,
    value: (v: string) => sql`${v}::uuid`,
    valid: (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v),
  },
  bigint: {
    text: (e: RawBuilder<unknown>) => sql`${e}::text`,
    value: (v: string) => sql`${v}::bigint`,
    valid: (v: string) => /^-?\d{1,18}$/.test(v),
  },
  int: {
    text: (e: RawBuilder<unknown>) => sql`${e}::text`,
    value: (v: string) => sql`${v}::int`,
    valid: (v: string) => /^-?\d{1,9}$/.test(v),
  },
  text: {
    text: (e: RawBuilder<unknown>) => sql`${e}::text`,
    value: (v: string) => sql`${v}::text`,
    // PostgreSQL text holds no NUL character
    valid: (v: string) => v.length <= 1000 && !v.includes('\u0000'),
  },
} as const;

export interface SortKey {
  expr: RawBuilder<unknown>;
  type: keyof typeof KEY_TYPES;
}

export interface ListSpec<Row, Item> {
  /** written into the list's cursors, so that one list's cursor is refused by another */
  name: string;
  /** the FROM clause, joins included */
  from: RawBuilder<unknown>;
  /** the select list; every column named uniquely (no name starting with an underscore) */
  columns: RawBuilder<unknown>;
  /** the filters, and-ed */
  where: RawBuilder<unknown>[];
  /** the order: unique together (the last is the row's id), all in one direction, so a row comparison finds what follows */
  keys: SortKey[];
  direction: 'asc' | 'desc';
  map(row: Row): Item;
}

export const encodeCursor = (name: string, values: string[]) => Buffer.from(JSON.stringify([name, ...values])).toString('base64url');

/** The key values a cursor carries, checked against the list's keys; anything else is a 422. */
export function decodeCursor(cursor: string, name: string, keys: SortKey[]): string[] {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('cursor_invalid', 422);
  }
  if (!Array.isArray(parsed) || parsed.length !== keys.length + 1 || parsed[0] !== name) throw new AppError('cursor_invalid', 422);
  const values = parsed.slice(1);
  if (!values.every((v, i) => typeof v === 'string' && KEY_TYPES[keys[i]!.type].valid(v))) throw new AppError('cursor_invalid', 422);
  return values as string[];
}

const and = (conditions: RawBuilder<unknown>[]) => (conditions.length ? sql.join(conditions, sql` and `) : sql`true`);

/**
 * One page of a list and the total of its filters, in one statement (one snapshot): the count
 * stops at TOTAL_CAP + 1 rows, so it stays cheap on any table; the page starts after the cursor's
 * keys, so rows inserted meanwhile (which sort before it) neither repeat nor push rows out of it.
 */
export async function pageOf<Row, Item>(db: Database, spec: ListSpec<Row, Item>, opts: { limit: number; cursor?: string }): Promise<Page<Item>> {
  const { keys, direction } = spec;
  const dir = sql.raw(direction);
  const after = opts.cursor
    ? [
        sql`(${sql.join(keys.map((k) => k.expr))}) ${sql.raw(direction === 'desc' ? '<' : '>')} (${sql.join(
          decodeCursor(opts.cursor, spec.name, keys).map((v, i) => KEY_TYPES[keys[i]!.type].value(v)),
        )})`,
      ]
    : [];
  const sortOut = keys.map((k, i) => sql`${k.expr} as ${sql.ref(`_s${i}`)}`);
  const textOut = keys.map((k, i) => sql`${KEY_TYPES[k.type].text(k.expr)} as ${sql.ref(`_c${i}`)}`);
  // the left join keeps the count's row when the page is empty; the outer order repeats the inner one
  const { rows } = await sql<Record<string, unknown>>`
    select c._total, p.* from
      (select count(*)::int as _total from (select 1 from ${spec.from} where ${and(spec.where)} limit ${TOTAL_CAP + 1}) x) c
    left join lateral (
      select ${spec.columns}, ${sql.join(sortOut)}, ${sql.join(textOut)}
      from ${spec.from} where ${and([...spec.where, ...after])}
      order by ${sql.join(keys.map((k) => sql`${k.expr} ${dir}`))}
      limit ${opts.limit + 1}
    ) p on true
    order by ${sql.join(keys.map((_, i) => sql`p.${sql.ref(`_s${i}`)} ${dir}`))}`.execute(db);
  const count = Number(rows[0]?._total ?? 0);
  const found = rows.filter((r) => r._c0 !== null);
  const more = found.length > opts.limit;
  const page = found.slice(0, opts.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => {
      const row: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) if (!k.startsWith('_')) row[k] = v;
      return spec.map(row as Row);
    }),
    total: Math.min(count, TOTAL_CAP),
    totalIsExact: count <= TOTAL_CAP,
    nextCursor:
      more && last
        ? encodeCursor(
            spec.name,
            keys.map((_, i) => String(last[`_c${i}`])),
          )
        : null,
  };
}

/** A search term as an ILIKE pattern matching it anywhere, its wildcards taken literally. */
export const containing = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

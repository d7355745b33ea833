// The legal documents as published: each text written from its version, the seller's identity and the settings it
// quotes, kept in legal_texts by the sha256 of its content the first time it is shown or accepted, and read back from
// there by version or by that hash (what an order accepted, exactly as it was).
import crypto from 'node:crypto';
import type { Config } from '../config.ts';
import type { Database, Tx } from '../db/database.ts';
import type { Locale } from '../domain/locale.ts';
import type { LegalContext, LegalDocument, LegalKind, LegalVersion } from './documents.ts';
import { CURRENT_PRIVACY, PRIVACY_VERSIONS } from './privacy.ts';
import { legalPartiesOf, sellerOf } from './seller.ts';
import { CURRENT_TERMS, TERMS_VERSIONS } from './terms.ts';

const VERSIONS: Record<LegalKind, { all: readonly LegalVersion[]; current: LegalVersion }> = {
  terms: { all: TERMS_VERSIONS, current: CURRENT_TERMS },
  privacy: { all: PRIVACY_VERSIONS, current: CURRENT_PRIVACY },
};

export interface PublishedText extends LegalDocument {
  sha256: string;
  /** when it was first published */
  publishedAt?: Date;
  current: boolean;
}

export function legalContext(config: Config): LegalContext {
  return {
    seller: sellerOf(config),
    ...legalPartiesOf(config),
    supportEmail: config.SUPPORT_EMAIL,
    publicUrl: config.publicUrl,
    unpaidRetentionDays: config.UNPAID_ORDER_RETENTION_DAYS,
  };
}

export function currentVersion(kind: LegalKind): string {
  return VERSIONS[kind].current.version;
}

/** The version's text in a language, as the code writes it today. */
export function writeDocument(kind: LegalKind, version: LegalVersion, locale: Locale, ctx: LegalContext): LegalDocument {
  return { kind, version: version.version, locale, ...version.write(locale, ctx) };
}

/** The hash a text is kept under: its kind, version, language, title and sections, nothing else. */
export function textHash(doc: LegalDocument): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([doc.kind, doc.version, doc.locale, doc.title, doc.sections]))
    .digest('hex');
}

/** The texts this process knows to be stored already, per database. */
const stored = new WeakMap<object, Set<string>>();

/** Keep a text (once: the same content is the same row). */
export async function publish(db: Database | Tx, doc: LegalDocument): Promise<string> {
  const sha256 = textHash(doc);
  let known = stored.get(db);
  if (!known) stored.set(db, (known = new Set()));
  if (known.has(sha256)) return sha256;
  await db
    .insertInto('legal_texts')
    .values({ sha256, kind: doc.kind, version: doc.version, locale: doc.locale, title: doc.title, body: JSON.stringify(doc.sections) })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  known.add(sha256);
  return sha256;
}

/** The current version of a document in a language, kept: what an order accepts now. */
export async function currentText(db: Database | Tx, config: Config, kind: LegalKind, locale: Locale): Promise<PublishedText> {
  const doc = writeDocument(kind, VERSIONS[kind].current, locale, legalContext(config));
  return { ...doc, sha256: await publish(db, doc), current: true };
}

/**
 * A document to show: the exact text of a hash (what an order accepted), the latest text kept of a version, or the
 * current one. Undefined when no such text was ever published.
 */
export async function findText(
  db: Database,
  config: Config,
  kind: LegalKind,
  locale: Locale,
  which: { version?: string; sha256?: string } = {},
): Promise<PublishedText | undefined> {
  const current = VERSIONS[kind].current.version;
  if (!which.sha256 && (!which.version || which.version === current)) return currentText(db, config, kind, locale);
  let q = db.selectFrom('legal_texts').selectAll().where('kind', '=', kind);
  q = which.sha256 ? q.where('sha256', '=', which.sha256) : q.where('version', '=', which.version!).where('locale', '=', locale);
  const row = await q.orderBy('published_at', 'desc').limit(1).executeTakeFirst();
  if (!row) return undefined;
  return {
    kind,
    version: row.version,
    locale: row.locale,
    title: row.title,
    sections: row.body,
    sha256: row.sha256,
    publishedAt: row.published_at,
    current: row.version === current,
  };
}

/** Every version of a kind with its date, newest first (the pages list them). */
export function versionsOf(kind: LegalKind): string[] {
  return VERSIONS[kind].all.map((v) => v.version).reverse();
}

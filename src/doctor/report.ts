// What the doctor found, one finding per thing checked, and the table (or JSON) it prints.
import { ProviderError } from '../errors.ts';

export type Result = 'ok' | 'warning' | 'failure';

export interface Finding {
  /** a provider (Stripe, PayPal…) or a group of settings (Registrant, Database…) */
  group: string;
  /** a provider's mode (sandbox, test, live); for a group of settings, NODE_ENV */
  mode: string;
  /** what was checked */
  checked: string;
  result: Result;
  /** what was seen */
  detail: string;
  /** for a failure (or a warning): what to do about it */
  fix?: string;
}

/** Findings of one group and mode, built without repeating them. */
export function findings(group: string, mode: string) {
  const make =
    (result: Result) =>
    (checked: string, detail: string, fix?: string): Finding => ({ group, mode, checked, result, detail, ...(fix ? { fix } : {}) });
  return { ok: make('ok'), warning: make('warning'), failure: make('failure') };
}

/** Only failures block going live; warnings say what production will ask for. */
export function blocks(all: Finding[]): boolean {
  return all.some((f) => f.result === 'failure');
}

/** A provider's error as the operator should read it: its code and its own words. */
export function describeError(err: unknown): string {
  if (err instanceof ProviderError) {
    // Namecheap answers every call 200 (the status says nothing there); SMTP's codes are its own
    const status = err.status && err.status !== 200 ? ` (${err.provider === 'smtp' ? 'SMTP' : 'HTTP'} ${err.status})` : '';
    return `${err.code}${status}: ${err.message.replace(/^[a-z]+: [a-z_]+: /, '')}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** sk_live_…WXYZ: enough to recognise a key, never enough to use it. */
export function redact(secret: string): string {
  const prefix = /^[a-z]+_((live|test)_)?/.exec(secret)?.[0] ?? secret.slice(0, 3);
  return secret.length > prefix.length + 8 ? `${prefix}…${secret.slice(-4)}` : `${prefix}…`;
}

const LABEL: Record<Result, string> = { ok: 'ok', warning: 'WARNING', failure: 'FAILURE' };

export function renderTable(all: Finding[], heading: string): string {
  const head = { group: 'PROVIDER / SETTINGS', mode: 'MODE', checked: 'CHECKED', result: 'RESULT' };
  const width = (key: keyof typeof head) => Math.max(head[key].length, ...all.map((f) => (key === 'result' ? LABEL[f.result] : f[key]).length));
  const w = { group: width('group'), mode: width('mode'), checked: width('checked'), result: width('result') };
  const line = (group: string, mode: string, checked: string, result: string, detail: string) =>
    `${group.padEnd(w.group)}  ${mode.padEnd(w.mode)}  ${checked.padEnd(w.checked)}  ${result.padEnd(w.result)}  ${detail}`.trimEnd();
  const indent = ' '.repeat(w.group + w.mode + w.checked + w.result + 8);
  const rows = all.flatMap((f) => [
    line(f.group, f.mode, f.checked, LABEL[f.result], f.detail),
    ...(f.fix && f.result !== 'ok' ? [`${indent}→ ${f.fix}`] : []),
  ]);
  const count = (r: Result) => all.filter((f) => f.result === r).length;
  const verdict = blocks(all) ? 'this installation cannot go live until the failures are fixed.' : 'nothing blocks going live.';
  return [
    heading,
    '',
    line(head.group, head.mode, head.checked, head.result, 'DETAIL'),
    ...rows,
    '',
    `${count('ok')} ok, ${count('warning')} warning(s), ${count('failure')} failure(s): ${verdict}`,
  ].join('\n');
}

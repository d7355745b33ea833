// The editor's form controls: a labelled input or text area with its hint, its counter and its error, tied together for
// screen readers; the id comes from the error key, so an error from the API finds its input.
import { createContext, useContext, useId } from 'react';
import type { Locale } from '../i18n.ts';
import type { Draft } from './draft.ts';
import { inputId } from './draft.ts';
import type { EditorTexts } from './texts.ts';
import { FieldError } from '../ui/Field.tsx';

export interface EditorForm {
  e: EditorTexts;
  /** the editor's language (the site's own language is draft.locale) */
  locale: Locale;
  draft: Draft;
  update(fn: (d: Draft) => Draft, ...touched: string[]): void;
  /** the message for an error key, or undefined */
  error(key: string): string | undefined;
  disabled: boolean;
  /** say something to screen readers (polite) */
  announce(message: string): void;
}

export const FormContext = createContext<EditorForm | null>(null);

export function useForm(): EditorForm {
  const f = useContext(FormContext);
  if (!f) throw new Error('useForm outside the editor');
  return f;
}

interface Common {
  /** the error key ("businessName", "services.<key>.price"): the input's id and its error */
  name: string;
  label: React.ReactNode;
  hint?: React.ReactNode;
  /** show "n of max characters" once the text gets near the limit */
  max?: number;
  className?: string;
}

function Described({
  id,
  hint,
  error,
  count,
  children,
  label,
  className,
}: {
  id: string;
  hint?: React.ReactNode;
  error?: string;
  count?: string;
  children: React.ReactNode;
  label: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={`field ed-field ${error ? 'field-invalid' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {children}
      {count && (
        <p id={`${id}-count`} className="field-hint ed-count">
          {count}
        </p>
      )}
      {error && (
        <FieldError id={`${id}-error`} data-error-for={id}>
          {error}
        </FieldError>
      )}
    </div>
  );
}

function describedBy(id: string, hint: boolean, error: boolean, count: boolean): string | undefined {
  return [error ? `${id}-error` : null, hint ? `${id}-hint` : null, count ? `${id}-count` : null].filter(Boolean).join(' ') || undefined;
}

function counter(f: EditorForm, value: string, max?: number): string | undefined {
  if (!max) return undefined;
  const n = value.trim().length;
  return n >= max * 0.8 ? f.e.basics.counter(n, max) : undefined;
}

/** What an input and a text area share: the id from the error key, the value, the error and the counter, described for screen readers. */
function useControl(name: string, value: string, onValue: (v: string) => void, hint: React.ReactNode, max?: number) {
  const f = useForm();
  const id = inputId(name);
  const error = f.error(name);
  const count = counter(f, value, max);
  const props = {
    id,
    name,
    value,
    onChange: (ev: { target: { value: string } }) => onValue(ev.target.value),
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, !!hint, !!error, !!count),
    disabled: f.disabled,
  };
  return { described: { id, hint, error, count }, props };
}

export function TextInput({
  name,
  label,
  hint,
  max,
  className,
  value,
  onValue,
  ...input
}: Common & { value: string; onValue(v: string): void } & Omit<React.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'name' | 'id'>) {
  const c = useControl(name, value, onValue, hint, max);
  return (
    <Described {...c.described} label={label} className={className}>
      <input {...c.props} {...input} />
    </Described>
  );
}

export function TextArea({ name, label, hint, max, className, value, onValue, rows = 4 }: Common & { value: string; onValue(v: string): void; rows?: number }) {
  const c = useControl(name, value, onValue, hint, max);
  return (
    <Described {...c.described} label={label} className={className}>
      <textarea rows={rows} {...c.props} />
    </Described>
  );
}

/** A section of the form: a heading the page's outline shows, and what it holds. */
export function Section({ title, hint, children, id }: { title: string; hint?: React.ReactNode; children: React.ReactNode; id: string }) {
  const headingId = useId();
  return (
    <section className="ed-section" aria-labelledby={headingId} id={id}>
      <h2 id={headingId}>{title}</h2>
      {hint && <p className="field-hint ed-section-hint">{hint}</p>}
      {children}
    </section>
  );
}

/** An error shown under a group (a list, an upload) rather than under one input. */
export function GroupError({ name }: { name: string }) {
  const f = useForm();
  const error = f.error(name);
  if (!error) return null;
  return (
    <p id={inputId(name)} className="field-error" tabIndex={-1}>
      {error}
    </p>
  );
}

// A labelled text field with its hint and its error, tied together for screen readers.
import { forwardRef, useId } from 'react';

export interface FieldProps extends Omit<React.InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: React.ReactNode;
  hint?: React.ReactNode;
  error?: string | null;
  /** extra content under the field (availability status, …) */
  after?: React.ReactNode;
}

export const Field = forwardRef<HTMLInputElement, FieldProps>(function Field({ label, hint, error, after, className, ...input }, ref) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${error ? 'field-invalid' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      <input ref={ref} id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {error && <FieldError id={errorId}>{error}</FieldError>}
      {after}
    </div>
  );
});

/** A field's error, under it, with its icon; `id` is what the field's aria-describedby names. */
export function FieldError({ id, children, ...rest }: { id: string; children: React.ReactNode } & React.HTMLAttributes<HTMLParagraphElement>) {
  return (
    <p id={id} className="field-error" {...rest}>
      <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
        <circle cx="10" cy="10" r="9" fill="currentColor" />
        <path d="M10 5.5v5.5M10 13.6v.4" stroke="#fff" strokeWidth="2" strokeLinecap="round" />
      </svg>
      {children}
    </p>
  );
}

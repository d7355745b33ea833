// The pieces the app's forms share: a radio choice among others, the form's own error, the order form's step and its buttons.
import type { ReactNode } from 'react';

/** A radio choice: a label holding its input, marked when it is the one chosen. */
export function Choice({
  name,
  value,
  chosen,
  onChoose,
  disabled,
  className,
  children,
}: {
  name: string;
  value: string;
  chosen: boolean;
  onChoose(): void;
  disabled?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <label className={['choice', className, chosen && 'choice-selected'].filter(Boolean).join(' ')}>
      <input type="radio" name={name} value={value} checked={chosen} onChange={onChoose} disabled={disabled} />
      {children}
    </label>
  );
}

/** What the form as a whole got wrong (the server's reason, no connection), said at once to screen readers. */
export function FormError({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {error}
    </p>
  );
}

/** One step of the order form: it is checked by the step itself (noValidate), and submitting never leaves the page. */
export function StepForm({ onSubmit, children }: { onSubmit(): void; children: ReactNode }) {
  return (
    <form
      className="step"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** A step's buttons: back (when there is a step before) and its own submit button. */
export function StepActions({ back, onBack, busy, children }: { back?: string; onBack?(): void; busy?: boolean; children: ReactNode }) {
  return (
    <div className="step-actions">
      {back && onBack ? (
        <button type="button" className="button button-ghost" onClick={onBack} disabled={busy}>
          {back}
        </button>
      ) : (
        <span />
      )}
      <button type="submit" className="button button-primary" aria-busy={busy || undefined}>
        {children}
      </button>
    </div>
  );
}

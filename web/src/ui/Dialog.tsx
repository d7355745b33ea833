// An accessible modal dialog: labelled, keeps the focus inside, closes on Escape, gives the focus back to its opener, and makes the page behind inert.
import { useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';

const FOCUSABLE =
  'a[href], area[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), iframe, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';

export function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => !el.closest('[inert]') && (el.offsetWidth > 0 || el.offsetHeight > 0 || el.getClientRects().length > 0),
  );
}

export interface DialogProps {
  title: React.ReactNode;
  /** a line under the title (e.g. "Step 2 of 4"), also read as the dialog's description */
  subtitle?: React.ReactNode;
  onClose(): void;
  closeLabel: string;
  children: React.ReactNode;
  className?: string;
  /** role="alertdialog" for confirmations (they carry their own Cancel button, so no close button) */
  alert?: boolean;
}

export function Dialog({ title, subtitle, onClose, closeLabel, children, className, alert }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  // read at render time, before the dialog takes the focus
  const [opener] = useState(() => document.activeElement as HTMLElement | null);

  useEffect(() => {
    const dialog = ref.current!;
    // everything else on the page is out of reach while the dialog is open
    const siblings = Array.from(document.body.children).filter((el) => el !== dialog.parentElement && !el.hasAttribute('inert')) as HTMLElement[];
    for (const el of siblings) el.setAttribute('inert', '');
    document.body.classList.add('has-dialog');
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? focusables(dialog).find((el) => !el.classList.contains('dialog-close')) ?? dialog;
    first.focus();
    const onKey = (e: KeyboardEvent) => {
      // only the topmost dialog answers the keyboard
      const backdrops = document.querySelectorAll('.dialog-backdrop');
      if (backdrops[backdrops.length - 1] !== dialog.parentElement) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        onCloseRef.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const list = focusables(dialog);
      if (list.length === 0) {
        e.preventDefault();
        dialog.focus();
        return;
      }
      const firstEl = list[0]!;
      const lastEl = list[list.length - 1]!;
      const active = document.activeElement as HTMLElement | null;
      if (!active || !dialog.contains(active)) {
        e.preventDefault();
        (e.shiftKey ? lastEl : firstEl).focus();
      } else if (e.shiftKey && (active === firstEl || active === dialog)) {
        e.preventDefault();
        lastEl.focus();
      } else if (!e.shiftKey && active === lastEl) {
        e.preventDefault();
        firstEl.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      for (const el of siblings) el.removeAttribute('inert');
      if (document.querySelectorAll('.dialog-backdrop').length <= 1) document.body.classList.remove('has-dialog');
      if (opener && document.contains(opener)) opener.focus();
    };
  }, [opener]);

  return createPortal(
    // biome-ignore lint/a11y/noStaticElementInteractions: a click on the backdrop closes, as Escape does from the keyboard
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCloseRef.current()}>
      {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: dialog and alertdialog both support aria-describedby; the role is chosen at run time */}
      <div
        ref={ref}
        role={alert ? 'alertdialog' : 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={subtitle ? descId : undefined}
        tabIndex={-1}
        className={`dialog ${className ?? ''}`}
      >
        <div className="dialog-head">
          <div>
            <h2 id={titleId} className="dialog-title">
              {title}
            </h2>
            {subtitle && (
              <p id={descId} className="dialog-subtitle">
                {subtitle}
              </p>
            )}
          </div>
          {!alert && (
            <button type="button" className="dialog-close" aria-label={closeLabel} onClick={() => onCloseRef.current()}>
              <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
              </svg>
            </button>
          )}
        </div>
        <div className="dialog-body">{children}</div>
      </div>
    </div>,
    document.body,
  );
}

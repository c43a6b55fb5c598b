import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ConfirmDialogProps {
  /** The question, as the dialog's name ("Delete clause 2?"). */
  title: string;
  /** What happens, in a sentence or two; the dialog's description. */
  children?: ReactNode;
  /** The confirming button's text ("Delete clause 2"). */
  confirmLabel: string;
  /** Red confirming button, for actions that destroy something. */
  destructive?: boolean;
  onConfirm(): void;
  /** Closed without confirming (Cancel, Escape). The opener gets its focus back from the browser. */
  onCancel(): void;
}

/**
 * A modal confirmation: a native <dialog> opened with showModal, so the rest of the page is inert,
 * Escape cancels and the focus returns to the control that opened it. The safe choice (Cancel) has
 * the focus first.
 */
export function ConfirmDialog({ title, children, confirmLabel, destructive = false, onConfirm, onCancel }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const confirmed = useRef(false);
  const titleId = useId();
  const textId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    cancel.current?.focus();
  }, []);

  return (
    <dialog
      ref={dialog}
      className="dialog dialog-confirm"
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={children ? textId : undefined}
      onClose={() => (confirmed.current ? onConfirm() : onCancel())}
    >
      <h2 id={titleId}>{title}</h2>
      {children && (
        <div id={textId} className="dialog-confirm-text">
          {children}
        </div>
      )}
      <div className="form-actions dialog-confirm-actions">
        <button ref={cancel} type="button" className="button" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
        <button
          type="button"
          className={`button ${destructive ? 'button-danger' : 'button-primary'}`}
          onClick={() => {
            confirmed.current = true;
            dialog.current?.close();
          }}
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

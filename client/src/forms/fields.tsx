import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldFrame {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
}

/** Ids for a control's hint and error, and the aria attributes that tie them to it. */
function useFieldIds(hint: ReactNode, error: string | undefined, id?: string) {
  const generated = useId();
  const controlId = id ?? `field${generated}`;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return {
    controlId,
    hintId,
    errorId,
    aria: { 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy } as const,
  };
}

function FieldHint({ id, hint }: { id: string; hint: ReactNode }) {
  return hint ? (
    <p id={id} className="field-hint">
      {hint}
    </p>
  ) : null;
}

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p id={id} className="field-error">
      <span className="visually-hidden">Error: </span>
      {error}
    </p>
  ) : null;
}

type TextFieldProps = FieldFrame & Omit<InputHTMLAttributes<HTMLInputElement>, 'aria-invalid' | 'aria-describedby'>;

export function TextField({ label, hint, error, id, className, ...input }: TextFieldProps) {
  const ids = useFieldIds(hint, error, id);
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={ids.controlId}>{label}</label>
      <FieldHint id={ids.hintId} hint={hint} />
      <input id={ids.controlId} {...ids.aria} {...input} />
      <FieldError id={ids.errorId} error={error} />
    </div>
  );
}

type TextAreaFieldProps = FieldFrame & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'aria-invalid' | 'aria-describedby'>;

export function TextAreaField({ label, hint, error, id, ...textarea }: TextAreaFieldProps) {
  const ids = useFieldIds(hint, error, id);
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={ids.controlId}>{label}</label>
      <FieldHint id={ids.hintId} hint={hint} />
      <textarea id={ids.controlId} {...ids.aria} {...textarea} />
      <FieldError id={ids.errorId} error={error} />
    </div>
  );
}

type SelectFieldProps = FieldFrame &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'aria-invalid' | 'aria-describedby'> & {
    options: readonly { value: string; label: string }[];
  };

export function SelectField({ label, hint, error, id, options, ...select }: SelectFieldProps) {
  const ids = useFieldIds(hint, error, id);
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={ids.controlId}>{label}</label>
      <FieldHint id={ids.hintId} hint={hint} />
      <select id={ids.controlId} {...ids.aria} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError id={ids.errorId} error={error} />
    </div>
  );
}

interface RadioGroupFieldProps extends FieldFrame {
  name: string;
  options: readonly { value: string; label: string; description?: string }[];
  defaultValue?: string;
}

/** Radios in a fieldset whose legend is the question. */
export function RadioGroupField({ label, hint, error, name, options, defaultValue }: RadioGroupFieldProps) {
  const ids = useFieldIds(hint, error);
  return (
    <fieldset className={`field radio-group${error ? ' field-invalid' : ''}`} aria-describedby={ids.aria['aria-describedby']}>
      <legend>{label}</legend>
      <FieldHint id={ids.hintId} hint={hint} />
      {options.map((option) => {
        const optionId = `${ids.controlId}-${option.value}`;
        return (
          <div className="radio" key={option.value}>
            <input
              type="radio"
              id={optionId}
              name={name}
              value={option.value}
              defaultChecked={option.value === defaultValue}
              aria-describedby={option.description ? `${optionId}-description` : undefined}
            />
            <label htmlFor={optionId}>{option.label}</label>
            {option.description && (
              <p id={`${optionId}-description`} className="radio-description">
                {option.description}
              </p>
            )}
          </div>
        );
      })}
      <FieldError id={ids.errorId} error={error} />
    </fieldset>
  );
}

/** The form's own error: whatever concerns no single field. Always in the page so it is announced. */
export function FormAlert({ message }: { message: string | null }) {
  return (
    <div role="alert" className={message ? 'alert alert-error' : 'alert-empty'}>
      {message}
    </div>
  );
}

/** A polite announcement of something that went well ("Saved."). */
export function StatusMessage({ message }: { message: string | null }) {
  return (
    <div role="status" className={message ? 'alert alert-success' : 'alert-empty'}>
      {message}
    </div>
  );
}

export function SubmitButton({ pending, children, pendingText }: { pending: boolean; children: ReactNode; pendingText: string }) {
  // aria-disabled rather than disabled: a disabled button drops the keyboard focus onto the page body.
  return (
    <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
      {pending ? pendingText : children}
    </button>
  );
}

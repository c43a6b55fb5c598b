import { useCallback, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { checkControl, mapApiError, type FieldSpecs } from './messages.ts';

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

function isControl(element: Element): element is Control {
  return element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement;
}

export interface FieldProps {
  name: string;
  label: string;
  error: string | undefined;
}

export interface ApiForm<F extends string> {
  pending: boolean;
  formError: string | null;
  fieldErrors: Partial<Record<F, string>>;
  /** Props for a field component: name, label and its current error. */
  field(name: F): FieldProps;
  /**
   * The form's onSubmit: checks the fields, then runs `action` with the values; an ApiError it
   * throws is shown next to the fields it names, or in the form's alert.
   */
  onSubmit(
    action: (values: Record<F, string>, form: HTMLFormElement) => Promise<void>,
    /** Checks across fields (e.g. two passwords equal) beyond what the controls' attributes say. */
    validate?: (values: Record<F, string>) => Partial<Record<F, string>>,
  ): (event: FormEvent<HTMLFormElement>) => void;
}

export function useApiForm<F extends string>(fields: FieldSpecs<F>): ApiForm<F> {
  const { signedOut } = useSession();
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<F, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const busy = useRef(false);
  const focusAfterRender = useRef<Control | null>(null);
  const fieldsRef = useRef(fields);
  fieldsRef.current = fields;

  // Focus moves to the first field in error once its message is on screen, so it is read out with it.
  useLayoutEffect(() => {
    focusAfterRender.current?.focus();
    focusAfterRender.current = null;
  }, [fieldErrors]);

  const show = useCallback((form: HTMLFormElement, errors: Partial<Record<F, string>>, message: string | null) => {
    focusAfterRender.current =
      Array.from(form.elements)
        .filter(isControl)
        .find((control) => errors[control.name as F] !== undefined) ?? null;
    setFieldErrors(errors);
    setFormError(message);
  }, []);

  const onSubmit: ApiForm<F>['onSubmit'] = (action, validate) => (event) => {
    event.preventDefault();
    if (busy.current) return;
    const form = event.currentTarget;
    const specs = fieldsRef.current;
    const names = Object.keys(specs) as F[];

    const problems: Partial<Record<F, string>> = {};
    for (const control of Array.from(form.elements).filter(isControl)) {
      const name = control.name as F;
      if (!names.includes(name) || problems[name] !== undefined) continue;
      const problem = control instanceof HTMLSelectElement ? null : checkControl(control, specs[name]);
      if (problem) problems[name] = problem;
    }
    const data = new FormData(form);
    const values = Object.fromEntries(names.map((name) => [name, String(data.get(name) ?? '')])) as Record<F, string>;
    if (Object.keys(problems).length === 0 && validate) Object.assign(problems, validate(values));
    if (Object.keys(problems).length > 0) {
      show(form, problems, null);
      return;
    }

    busy.current = true;
    setPending(true);
    // Cleared now so that the same message, if it comes back, is a change and is announced again.
    setFormError(null);
    void (async () => {
      try {
        await action(values, form);
        setFieldErrors({});
        setFormError(null);
      } catch (error) {
        if (!(error instanceof ApiError)) {
          show(form, {}, 'Something went wrong in this page. Reload it and try again.');
          console.error(error);
          return;
        }
        if (error.status === 401 && error.code === 'unauthenticated') signedOut('expired');
        const mapped = mapApiError(error, specs);
        show(form, mapped.fieldErrors, mapped.formError);
      } finally {
        busy.current = false;
        setPending(false);
      }
    })();
  };

  const field = (name: F): FieldProps => ({ name, label: fields[name].label, error: fieldErrors[name] });
  return { pending, formError, fieldErrors, field, onSubmit };
}

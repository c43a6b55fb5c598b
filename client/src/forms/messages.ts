import type { ApiError } from '../api/client.ts';

/** How a form names one of its fields to people, for messages built from the server's details. */
export interface FieldSpec {
  label: string;
  /**
   * A regex the value must match, checked before sending. Not the input's `pattern` attribute: the
   * browser compiles that with the `v` flag, under which the server's patterns are not valid.
   */
  pattern?: string;
  /** Said when the value does not match the field's pattern (the raw regex helps nobody). */
  patternMessage?: string;
}

export type FieldSpecs<F extends string> = Record<F, FieldSpec>;

export interface MappedErrors<F extends string> {
  fieldErrors: Partial<Record<F, string>>;
  /** What belongs to no field; shown in the form's alert. */
  formError: string | null;
}

export function formatWait(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return plural(Math.max(1, Math.ceil(seconds)), 'second');
  if (seconds < 3600) return plural(Math.ceil(seconds / 60), 'minute');
  return plural(Math.ceil(seconds / 3600), 'hour');
}

/** Turns one `details[].message` (an Ajv phrase or a short server phrase like "is taken") into a sentence. */
export function describeDetail(message: string, field: FieldSpec): string {
  const { label } = field;
  const fewer = /^must NOT have fewer than (\d+) characters?$/.exec(message);
  if (fewer) return `${label} must be at least ${fewer[1]} characters`;
  const more = /^must NOT have more than (\d+) characters?$/.exec(message);
  if (more) return `${label} must be at most ${more[1]} characters`;
  if (/^must match format "email"$/.test(message)) return 'Enter an email address like name@example.org';
  if (/^must match pattern\b/.test(message)) return field.patternMessage ?? `${label} is not in the expected form`;
  if (/^must have required property\b/.test(message)) return `${label} is required`;
  if (/^(is|has|must)\b/.test(message)) return `${label} ${message}`;
  return `${label}: ${message}`;
}

/** The sentence for an error that concerns the whole form rather than one field. */
export function formErrorMessage(error: ApiError): string {
  switch (error.code) {
    case 'rate_limited':
      return error.retryAfterSeconds !== null
        ? `Too many attempts. Try again in ${formatWait(error.retryAfterSeconds)}.`
        : 'Too many attempts. Wait a little and try again.';
    case 'csrf_rejected':
      return 'The request was refused because it did not seem to come from this site. Reload the page and try again.';
    default:
      return error.message;
  }
}

/**
 * Sorts an API error's details onto the form's fields by their JSON pointer (`/email` → `email`).
 * With a single detail from a non-validation error (a 404 or 409), the server's own message is the
 * clearer one ("A group with this slug already exists"), so it is used for the field.
 */
export function mapApiError<F extends string>(error: ApiError, fields: FieldSpecs<F>): MappedErrors<F> {
  const details = error.fieldDetails;
  const fieldErrors: Partial<Record<F, string>> = {};
  const unmatched: string[] = [];
  for (const detail of details) {
    const name = detail.path.split('/')[1] ?? '';
    if (Object.hasOwn(fields, name)) {
      const field = name as F;
      fieldErrors[field] ??= error.code !== 'invalid_input' && details.length === 1 ? error.message : describeDetail(detail.message, fields[field]);
    } else {
      unmatched.push(name ? `${name} ${detail.message}` : detail.message);
    }
  }
  const anyField = Object.keys(fieldErrors).length > 0;
  return {
    fieldErrors,
    formError: !anyField ? formErrorMessage(error) : unmatched.length > 0 ? unmatched.join('; ') : null,
  };
}

/** The parts of a form control that client-side checks look at (an HTMLInputElement has them all). */
export interface CheckableControl {
  value: string;
  required: boolean;
  minLength: number;
  maxLength: number;
  type: string;
  validity: { typeMismatch: boolean };
}

/**
 * A quick check before sending, so obvious mistakes show at once; the server remains the judge.
 * Lengths are checked by hand because the browser only flags them after a user edit.
 */
export function checkControl(control: CheckableControl, field: FieldSpec): string | null {
  const { value, label } = { value: control.value, label: field.label };
  if (control.required && value.trim() === '') return `${label} is required`;
  if (value === '') return null;
  if (control.minLength > 0 && [...value].length < control.minLength) return `${label} must be at least ${control.minLength} characters`;
  if (control.maxLength > 0 && [...value].length > control.maxLength) return `${label} must be at most ${control.maxLength} characters`;
  if (control.type === 'email' && control.validity.typeMismatch) return 'Enter an email address like name@example.org';
  if (field.pattern && !new RegExp(`^(?:${field.pattern})$`, 'u').test(value)) {
    return field.patternMessage ?? `${label} is not in the expected form`;
  }
  return null;
}

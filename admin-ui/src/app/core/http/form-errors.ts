import { type AbstractControl, FormArray, FormGroup } from '@angular/forms';

import { type ApiProblem } from './api-problem';

/**
 * Puts the server's per-field messages on the matching controls (as the `server` error) so they
 * appear next to the field. Returns the messages that matched no control, for a form-level banner.
 */
export function applyServerErrors(form: FormGroup, problem: ApiProblem): string[] {
  const unmatched: string[] = [];
  for (const [field, messages] of Object.entries(problem.fieldErrors)) {
    const control = findControl(form, field);
    if (control) {
      control.setErrors({ ...(control.errors ?? {}), server: messages.map(sentence).join(' ') });
      control.markAsTouched();
    } else {
      unmatched.push(...messages);
    }
  }
  return unmatched;
}

/**
 * Drops the server messages from an earlier attempt so the form can be sent again: an error the
 * server reported on one field (thresholds out of order) may be fixed by editing another one.
 */
export function clearServerErrors(control: AbstractControl): void {
  if (control instanceof FormGroup || control instanceof FormArray) {
    for (const child of Object.values(control.controls as Record<string, AbstractControl>)) {
      clearServerErrors(child);
    }
    return;
  }
  if (control.errors?.['server'] !== undefined) control.updateValueAndValidity();
}

/** class-validator messages start lowercase and lack a full stop; show them as sentences. */
function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * The control for a server field path (`keywordRules[0].keywords[2]`). A path below a plain
 * control (one list item of a text field that holds the whole list) lands on that control.
 */
function findControl(form: FormGroup, field: string): AbstractControl | null {
  const segments = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  for (let length = segments.length; length > 0; length--) {
    const control = form.get(segments.slice(0, length).join('.'));
    if (control) return length === segments.length || isLeaf(control) ? control : null;
  }
  return null;
}

function isLeaf(control: AbstractControl): boolean {
  return !(control instanceof FormGroup || control instanceof FormArray);
}

/**
 * The message to show under a control: server message first, then the client-side rule.
 * `patternHint` says what a `pattern` validator expects ("letters, digits and - only").
 */
export function controlError(
  control: AbstractControl | null,
  label: string,
  patternHint?: string,
): string | null {
  if (!control?.errors) return null;
  const errors = control.errors;
  if (typeof errors['server'] === 'string') return errors['server'];
  if (errors['required']) return `${label} is required.`;
  const minLength = errors['minlength'] as { requiredLength: number } | undefined;
  if (minLength) return `${label} must be at least ${minLength.requiredLength} characters.`;
  const maxLength = errors['maxlength'] as { requiredLength: number } | undefined;
  if (maxLength) return `${label} must be at most ${maxLength.requiredLength} characters.`;
  const min = errors['min'] as { min: number } | undefined;
  if (min) return `${label} must be at least ${min.min}.`;
  const max = errors['max'] as { max: number } | undefined;
  if (max) return `${label} must be at most ${max.max}.`;
  if (errors['email']) return `${label} must be an email address.`;
  if (errors['pattern'])
    return patternHint ? `${label} may contain ${patternHint}.` : `${label} has an invalid format.`;
  if (errors['mismatch']) return `${label} does not match.`;
  if (typeof errors['message'] === 'string') return errors['message'];
  return `${label} is invalid.`;
}

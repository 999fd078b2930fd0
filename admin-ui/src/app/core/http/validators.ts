import { type AbstractControl, type ValidationErrors } from '@angular/forms';

/** An absolute http(s) URL, or empty (combine with `required` when needed). */
export function urlValidator(control: AbstractControl<string>): ValidationErrors | null {
  const value = control.value.trim();
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? null
      : { message: 'Use an http:// or https:// URL.' };
  } catch {
    return { message: 'Enter a full URL such as https://llm.example.com.' };
  }
}

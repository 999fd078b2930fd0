import { type AbstractControl, type ValidationErrors, type ValidatorFn, Validators } from '@angular/forms';

/** Server rules for new passwords and usernames (auth DTOs); the server re-checks and its message wins. */
export const PASSWORD_MIN_LENGTH = 12;
/** bcrypt ignores bytes beyond 72; the server counts UTF-8 bytes, this counts characters. */
export const PASSWORD_MAX_LENGTH = 72;
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

export const newPasswordValidators: ValidatorFn[] = [
  Validators.required,
  Validators.minLength(PASSWORD_MIN_LENGTH),
  Validators.maxLength(PASSWORD_MAX_LENGTH),
];

/** Group validator: `confirm` must equal `password`; the error is put on the confirm control. */
export function passwordsMatch(passwordKey: string, confirmKey: string): ValidatorFn {
  return (group: AbstractControl): ValidationErrors | null => {
    const password = group.get(passwordKey);
    const confirm = group.get(confirmKey);
    if (!password || !confirm) return null;
    const mismatch = confirm.value !== '' && password.value !== confirm.value;
    const { mismatch: _previous, ...others } = confirm.errors ?? {};
    if (mismatch) confirm.setErrors({ ...others, mismatch: true });
    else confirm.setErrors(Object.keys(others).length > 0 ? others : null);
    return null;
  };
}

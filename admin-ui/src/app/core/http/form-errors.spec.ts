import { FormArray, FormControl, FormGroup, Validators } from '@angular/forms';

import { applyServerErrors, clearServerErrors, controlError } from './form-errors';

describe('applyServerErrors', () => {
  it('puts server messages on the matching (nested) controls and returns the rest', () => {
    const form = new FormGroup({
      name: new FormControl(''),
      config: new FormGroup({ baseUrl: new FormControl('') }),
      keys: new FormGroup({ '0': new FormGroup({ label: new FormControl('') }) }),
    });
    const unmatched = applyServerErrors(form, {
      status: 400,
      message: 'Please correct the highlighted fields.',
      fieldErrors: {
        name: ['name must be shorter than or equal to 64 characters'],
        'config.baseUrl': ['baseUrl must be a URL address'],
        'keys[0].label': ['label must be a string'],
        unknownField: ['something else is wrong'],
      },
    });
    expect(controlError(form.get('name'), 'Name')).toBe(
      'Name must be shorter than or equal to 64 characters.',
    );
    expect(form.get('name')?.touched).toBe(true);
    expect(controlError(form.get('config.baseUrl'), 'Base URL')).toBe('BaseUrl must be a URL address.');
    expect(controlError(form.get('keys.0.label'), 'Label')).toBe('Label must be a string.');
    expect(unmatched).toEqual(['something else is wrong']);
  });
});

describe('applyServerErrors on list items', () => {
  it('puts an error about one item of a list-valued control on that control, never on a group', () => {
    const form = new FormGroup({
      rules: new FormArray([new FormGroup({ keywords: new FormControl('a\nb') })]),
    });
    const unmatched = applyServerErrors(form, {
      status: 400,
      message: 'Please correct the highlighted fields.',
      fieldErrors: {
        'rules[0].keywords[1]': ['is not a safe regular expression'],
        'rules[0].nothing': ['unknown'],
      },
    });
    expect(controlError(form.get('rules.0.keywords'), 'Keywords')).toBe('Is not a safe regular expression.');
    expect(unmatched).toEqual(['unknown']);

    clearServerErrors(form);
    expect(form.valid).toBe(true);
  });
});

describe('controlError', () => {
  it('describes the client-side rules in words', () => {
    const control = new FormControl('', [
      Validators.required,
      Validators.minLength(12),
      Validators.pattern(/^a/),
    ]);
    expect(controlError(control, 'Password')).toBe('Password is required.');
    control.setValue('b');
    expect(controlError(control, 'Password')).toBe('Password must be at least 12 characters.');
    control.setValue('bbbbbbbbbbbbbb');
    expect(controlError(control, 'Username', 'letters only')).toBe('Username may contain letters only.');
    control.setValue('abbbbbbbbbbbbb');
    expect(controlError(control, 'Password')).toBeNull();
  });
});

import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogActions, MatDialogClose } from '@angular/material/dialog';

/**
 * The action row of a form dialog: a button that closes the dialog and the submit button of the
 * dialog's form (found by its id), disabled while the save runs. The element itself is the
 * dialog's action row (`mat-dialog-actions`, aligned to the end).
 */
@Component({
  selector: 'app-dialog-form-actions',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatDialogClose],
  hostDirectives: [MatDialogActions],
  host: { align: 'end' },
  template: `
    <button mat-button type="button" mat-dialog-close>{{ cancelLabel() }}</button>
    <button mat-flat-button type="submit" [attr.form]="formId()" [disabled]="busy()">
      {{ submitLabel() }}
    </button>
  `,
})
export class DialogFormActions {
  /** The id of the dialog's form. */
  readonly formId = input.required<string>();
  readonly submitLabel = input.required<string>();
  readonly cancelLabel = input('Cancel');
  readonly busy = input(false);
}

import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';

/**
 * The "Range" picker of the usage views: the given presets and, when `custom` is set, "Custom
 * dates" (value `custom`; the view then shows its own date fields). Lays out as the form field
 * alone, so it sits in the view's row of controls like its other fields.
 */
@Component({
  selector: 'app-range-select',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatSelectModule],
  template: `
    <mat-form-field>
      <mat-label>Range</mat-label>
      <mat-select [value]="value()" (selectionChange)="rangeChange.emit($event.value)">
        @for (preset of presets(); track preset.key) {
          <mat-option [value]="preset.key">{{ preset.label }}</mat-option>
        }
        @if (custom()) {
          <mat-option value="custom">Custom dates</mat-option>
        }
      </mat-select>
    </mat-form-field>
  `,
  styles: `
    :host {
      display: contents;
    }
    mat-form-field {
      flex: 0 1 200px;
      min-width: 0;
    }
  `,
})
export class RangeSelect {
  readonly presets = input.required<readonly { key: string; label: string }[]>();
  readonly value = input.required<string>();
  /** Offer "Custom dates". */
  readonly custom = input(false);
  readonly rangeChange = output<string>();
}

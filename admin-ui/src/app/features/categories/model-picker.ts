import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  inject,
  input,
  type OnInit,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { type FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { debounceTime, distinctUntilChanged, startWith } from 'rxjs';

import { controlError } from '../../core/http/form-errors';
import { type ModelOption } from './categories.store';

/**
 * A model reference field: free text (`modelId` or `providerSlug/modelId`) with suggestions from
 * the model registry, searched on the server as the user types.
 */
@Component({
  selector: 'app-model-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatAutocompleteModule, MatFormFieldModule, MatInputModule, ReactiveFormsModule],
  template: `
    <mat-form-field class="picker">
      <mat-label>{{ label() }}</mat-label>
      <input
        matInput
        [formControl]="control()"
        [matAutocomplete]="auto"
        maxlength="200"
        [placeholder]="placeholder()"
      />
      <mat-autocomplete #auto="matAutocomplete">
        @for (option of options(); track option.ref) {
          <mat-option [value]="option.ref">
            <span class="ref">{{ option.ref }}</span>
            <span class="meta">{{ option.provider }}{{ option.tier ? ' · ' + option.tier : '' }}</span>
          </mat-option>
        }
      </mat-autocomplete>
      @if (hint(); as text) {
        <mat-hint>{{ text }}</mat-hint>
      }
      @if (control().invalid) {
        <mat-error>{{
          controlError(control(), label(), 'no spaces (a model id or provider/model)')
        }}</mat-error>
      }
    </mat-form-field>
  `,
  styles: `
    .picker {
      width: 100%;
    }
    .meta {
      margin-left: 8px;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class ModelPicker implements OnInit {
  readonly control = input.required<FormControl<string>>();
  readonly label = input.required<string>();
  readonly hint = input<string>('');
  readonly placeholder = input<string>('');
  readonly search = input.required<(text: string) => Promise<ModelOption[]>>();

  protected readonly options = signal<ModelOption[]>([]);
  protected readonly controlError = controlError;
  private readonly destroyRef = inject(DestroyRef);

  ngOnInit(): void {
    this.control()
      .valueChanges.pipe(
        startWith(this.control().value),
        debounceTime(250),
        distinctUntilChanged(),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((text) => {
        void this.search()(text).then((options) => {
          this.options.set(options);
        });
      });
  }
}

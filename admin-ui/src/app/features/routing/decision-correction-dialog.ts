import { ChangeDetectionStrategy, Component, inject, type OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';

import { type CategoryResponseDto } from '../../api/models/category-response-dto';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { DialogFormActions } from '../../core/ui/dialog-form-actions';
import { ErrorBanner } from '../../core/ui/error-banner';
import { DecisionCorrectionStore } from './decision-correction.store';

export interface DecisionCorrectionData {
  /** The category the router chose: preselected, so the admin changes only what is wrong. */
  category: string | null;
  /** The tier the router chose (shown for context). */
  tier?: string | null;
  /** The prompt when the console knows it; otherwise the admin pastes it. */
  prompt?: string;
}

/** Server rule (AddExamplesDto): an example is at most 2000 characters. */
export const EXAMPLE_MAX_LENGTH = 2000;

/** Teaches the local classifier: the prompt becomes an example of the category it should have had. */
@Component({
  selector: 'app-decision-correction-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DialogFormActions,
    ErrorBanner,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  providers: [DecisionCorrectionStore],
  template: `
    <h2 mat-dialog-title>Correct this decision</h2>
    <mat-dialog-content>
      <p>
        The prompt is added as an example of the right category; the classifier learns it at the next
        configuration reload (seconds).
        @if (data.category) {
          It was routed as <code>{{ data.category }}</code>
          @if (data.tier) {
            (tier <code>{{ data.tier }}</code>)
          }
          .
        }
      </p>
      <app-error-banner [problem]="store.load$.problem()" [retryable]="true" (retry)="store.load()" />
      <app-error-banner [problem]="store.save$.problem()" [extra]="unmatched()" />
      @if (store.load$.busy()) {
        <mat-progress-bar mode="indeterminate" aria-label="Loading categories" />
      }
      <form id="correction-form" [formGroup]="form" (ngSubmit)="save()" novalidate>
        <mat-form-field>
          <mat-label>Right category</mat-label>
          <mat-select formControlName="category" required>
            @for (category of store.categories(); track category.key) {
              <mat-option [value]="category.key">{{ category.name }} ({{ category.tier }})</mat-option>
            }
          </mat-select>
          @if (form.controls.category.invalid) {
            <mat-error>{{ controlError(form.controls.category, 'Category') }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Prompt</mat-label>
          <textarea matInput formControlName="prompt" rows="5" required [maxlength]="maxLength"></textarea>
          <mat-hint>
            @if (data.prompt) {
              The user's message from the request log; shorten it to what decides the category.
            } @else {
              The user's message (stored traces keep no prompt text; paste it if it is not shown).
            }
          </mat-hint>
          @if (form.controls.prompt.invalid) {
            <mat-error>{{ controlError(form.controls.prompt, 'Prompt') }}</mat-error>
          }
        </mat-form-field>
      </form>
    </mat-dialog-content>
    <app-dialog-form-actions
      formId="correction-form"
      submitLabel="Add as example"
      [busy]="store.save$.busy()"
    />
  `,
  styles: `
    form {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: min(480px, 80vw);
    }
  `,
})
export class DecisionCorrectionDialog implements OnInit {
  protected readonly data = inject<DecisionCorrectionData>(MAT_DIALOG_DATA);
  protected readonly store = inject(DecisionCorrectionStore);
  private readonly ref = inject<MatDialogRef<DecisionCorrectionDialog, CategoryResponseDto>>(MatDialogRef);

  protected readonly controlError = controlError;
  protected readonly maxLength = EXAMPLE_MAX_LENGTH;
  protected readonly unmatched = signal<string[]>([]);
  protected readonly form = inject(NonNullableFormBuilder).group({
    category: [this.data.category ?? '', [Validators.required]],
    prompt: [this.data.prompt ?? '', [Validators.required, Validators.maxLength(EXAMPLE_MAX_LENGTH)]],
  });

  ngOnInit(): void {
    void this.loadChoices();
  }

  private async loadChoices(): Promise<void> {
    await this.store.load();
    // A routed category that is gone or disabled is no choice: the admin picks one.
    const chosen = this.form.controls.category;
    if (chosen.value && !this.store.categories().some((c) => c.key === chosen.value)) chosen.setValue('');
  }

  protected async save(): Promise<void> {
    this.form.markAllAsTouched();
    const prompt = this.form.controls.prompt.value.trim();
    if (!prompt) this.form.controls.prompt.setValue('');
    if (this.form.invalid || this.store.save$.busy()) return;
    const result = await this.store.addExample(this.form.controls.category.value, prompt);
    if (result.ok) this.ref.close(result.value);
    else this.unmatched.set(applyServerErrors(this.form, result.problem));
  }
}

import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';

import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { type ProviderTryResponseDto } from '../../api/models/provider-try-response-dto';
import { controlError } from '../../core/http/form-errors';
import { DialogFormActions } from '../../core/ui/dialog-form-actions';
import { ErrorBanner } from '../../core/ui/error-banner';
import { type ProvidersStore } from './providers.store';

export interface TryModelDialogData {
  store: ProvidersStore;
  provider: ProviderResponseDto;
  /** Suggested model ids (from discovery), shown as a datalist. */
  models: readonly string[];
}

/** Sends one chat message straight to a provider's model and shows the answer. */
@Component({
  selector: 'app-try-model-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DialogFormActions,
    ErrorBanner,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
  ],
  template: `
    <h2 mat-dialog-title>Try a model of {{ data.provider.name }}</h2>
    <mat-dialog-content>
      <form id="try-form" [formGroup]="form" (ngSubmit)="send()" novalidate>
        <mat-form-field>
          <mat-label>Model</mat-label>
          <input matInput formControlName="model" list="try-models" autocomplete="off" required />
          <datalist id="try-models">
            @for (model of data.models; track model) {
              <option [value]="model"></option>
            }
          </datalist>
          @if (form.controls.model.invalid) {
            <mat-error>{{ controlError(form.controls.model, 'Model') }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Message</mat-label>
          <textarea matInput formControlName="message" rows="3" required></textarea>
          @if (form.controls.message.invalid) {
            <mat-error>{{ controlError(form.controls.message, 'Message') }}</mat-error>
          }
        </mat-form-field>
      </form>
      @if (data.store.try$.busy()) {
        <mat-progress-bar mode="indeterminate" aria-label="Waiting for the model" />
      }
      <app-error-banner [problem]="data.store.try$.problem()" />
      @if (answer(); as result) {
        <section class="answer" aria-live="polite" aria-label="Answer">
          @if (result.ok) {
            <p class="content">{{ result.content }}</p>
          } @else {
            <p class="error" role="alert">
              {{ result.error }}{{ result.status ? ' (HTTP ' + result.status + ')' : '' }}
            </p>
          }
          <p class="meta">
            {{ result.model }} · {{ result.latencyMs }} ms
            @if (result.inputTokens != null) {
              · {{ result.inputTokens }} in / {{ result.outputTokens }} out tokens
            }
          </p>
        </section>
      }
    </mat-dialog-content>
    <app-dialog-form-actions
      formId="try-form"
      submitLabel="Send"
      cancelLabel="Close"
      [busy]="data.store.try$.busy()"
    />
  `,
  styles: `
    form {
      display: flex;
      flex-direction: column;
      gap: 8px;
      width: min(560px, 80vw);
    }
    .answer {
      margin-top: 12px;
      padding: 12px;
      border-radius: var(--mat-sys-corner-medium);
      background: var(--mat-sys-surface-container);
    }
    .content {
      white-space: pre-wrap;
      margin: 0 0 8px;
    }
    .error {
      color: var(--mat-sys-error);
      margin: 0 0 8px;
    }
    .meta {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class TryModelDialog {
  protected readonly data = inject<TryModelDialogData>(MAT_DIALOG_DATA);
  protected readonly controlError = controlError;
  protected readonly answer = signal<ProviderTryResponseDto | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    model: [this.data.models[0] ?? '', [Validators.required, Validators.maxLength(200)]],
    message: ['Say hello in one short sentence.', [Validators.required, Validators.maxLength(20000)]],
  });

  protected async send(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { model, message } = this.form.getRawValue();
    this.answer.set(null);
    const result = await this.data.store.tryModel(this.data.provider.id, {
      model: model.trim(),
      messages: [{ role: 'user', content: message }],
      maxTokens: 256,
    });
    if (result.ok) this.answer.set(result.value);
  }
}

import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { type CreateModelDto } from '../../api/models/create-model-dto';
import { type ModelResponseDto } from '../../api/models/model-response-dto';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { type Tier, TIERS } from '../../core/routing/tiers';
import { DialogFormActions } from '../../core/ui/dialog-form-actions';
import { ErrorBanner } from '../../core/ui/error-banner';
import { AZURE_API_TYPE_LABELS, type AzureApiType } from '../providers/provider-types';
import { type ModelsStore } from './models.store';

export interface ModelCreateData {
  store: ModelsStore;
}

/** Server rule for `modelId`: 1-200 characters without whitespace. */
const MODEL_ID_PATTERN = /^\S{1,200}$/;

/** Adds a model a provider does not list (or before discovery); the registry fills the rest. */
@Component({
  selector: 'app-model-create-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DialogFormActions,
    ErrorBanner,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  template: `
    <h2 mat-dialog-title>Add a model</h2>
    <mat-dialog-content>
      <app-error-banner [problem]="data.store.create$.problem()" [extra]="unmatched()" />
      <form id="model-create-form" [formGroup]="form" (ngSubmit)="save()" novalidate>
        <mat-form-field>
          <mat-label>Provider</mat-label>
          <mat-select formControlName="providerId" required>
            @for (provider of data.store.providers(); track provider.id) {
              <mat-option [value]="provider.id">{{ provider.name }}</mat-option>
            }
          </mat-select>
          @if (form.controls.providerId.invalid) {
            <mat-error>{{ controlError(form.controls.providerId, 'Provider') }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Model id</mat-label>
          <input matInput formControlName="modelId" required autocomplete="off" />
          <mat-hint>The provider's id (Azure: the deployment name).</mat-hint>
          @if (form.controls.modelId.invalid) {
            <mat-error>{{
              controlError(form.controls.modelId, 'Model id', 'any characters except spaces (at most 200)')
            }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Display name</mat-label>
          <input matInput formControlName="name" autocomplete="off" />
          <mat-hint>Optional; the registry's name or the id otherwise.</mat-hint>
          @if (form.controls.name.invalid) {
            <mat-error>{{ controlError(form.controls.name, 'Display name') }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Tier</mat-label>
          <mat-select formControlName="tier">
            <mat-option value="">From the registry</mat-option>
            @for (tier of tiers; track tier) {
              <mat-option [value]="tier">{{ tier }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        @if (isAzure()) {
          <mat-form-field>
            <mat-label>API</mat-label>
            <mat-select formControlName="apiType">
              <mat-option value="">Provider default</mat-option>
              @for (choice of apiTypes; track choice[0]) {
                <mat-option [value]="choice[0]">{{ choice[1] }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
        }
      </form>
    </mat-dialog-content>
    <app-dialog-form-actions
      formId="model-create-form"
      submitLabel="Add model"
      [busy]="data.store.create$.busy()"
    />
  `,
  styles: `
    form {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: min(440px, 80vw);
    }
  `,
})
export class ModelCreateDialog {
  protected readonly data = inject<ModelCreateData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<ModelCreateDialog, ModelResponseDto>>(MatDialogRef);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly controlError = controlError;
  protected readonly tiers = TIERS;
  protected readonly apiTypes = Object.entries(AZURE_API_TYPE_LABELS) as [AzureApiType, string][];
  protected readonly unmatched = signal<string[]>([]);
  protected readonly form = this.fb.group({
    providerId: [this.data.store.providers()[0]?.id ?? '', [Validators.required]],
    modelId: ['', [Validators.required, Validators.pattern(MODEL_ID_PATTERN)]],
    name: ['', [Validators.maxLength(200)]],
    tier: this.fb.control<Tier | ''>(''),
    apiType: this.fb.control<AzureApiType | ''>(''),
  });
  private readonly providerId = toSignal(this.form.controls.providerId.valueChanges, {
    initialValue: this.form.controls.providerId.value,
  });
  protected readonly isAzure = computed(
    () => this.data.store.providers().find((p) => p.id === this.providerId())?.type === 'azure',
  );

  protected async save(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.data.store.create$.busy()) return;
    const { providerId, modelId, name, tier, apiType } = this.form.getRawValue();
    const body: CreateModelDto = {
      providerId,
      modelId: modelId.trim(),
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(tier ? { tier } : {}),
      ...(apiType && this.isAzure() ? { apiType } : {}),
    };
    const result = await this.data.store.create(body);
    if (result.ok) this.ref.close(result.value);
    else this.unmatched.set(applyServerErrors(this.form, result.problem));
  }
}

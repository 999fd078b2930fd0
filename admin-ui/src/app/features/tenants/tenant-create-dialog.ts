import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { type TenantResponseDto } from '../../api/models/tenant-response-dto';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { DialogFormActions } from '../../core/ui/dialog-form-actions';
import { ErrorBanner } from '../../core/ui/error-banner';
import { LIFETIME_CHOICES } from '../../shared/keys/keys-panel';
import { slugify, TENANT_SLUG_PATTERN, type TenantsStore } from './tenants.store';

export interface TenantCreateDialogData {
  store: TenantsStore;
  providers: readonly ProviderResponseDto[];
}

/** New tenant: name, URL slug (derived from the name until edited), providers, key lifetime. */
@Component({
  selector: 'app-tenant-create-dialog',
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
    <h2 mat-dialog-title>New tenant</h2>
    <mat-dialog-content>
      <app-error-banner [problem]="data.store.save$.problem()" [extra]="unmatched()" />
      <form id="tenant-create-form" [formGroup]="form" (ngSubmit)="save()" novalidate>
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" required autocomplete="off" />
          @if (form.controls.name.invalid) {
            <mat-error>{{ controlError(form.controls.name, 'Name') }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Slug</mat-label>
          <input matInput formControlName="slug" required autocomplete="off" (input)="slugEdited.set(true)" />
          <mat-hint
            >Part of the gateway URL: /api/{{ form.controls.slug.value || '…' }}/v1. Cannot be changed
            later.</mat-hint
          >
          @if (form.controls.slug.invalid) {
            <mat-error>{{
              controlError(form.controls.slug, 'Slug', 'lowercase letters, digits and inner dashes only')
            }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Providers</mat-label>
          <mat-select formControlName="providerIds" multiple>
            @for (provider of data.providers; track provider.id) {
              <mat-option [value]="provider.id">{{ provider.name }}</mat-option>
            }
          </mat-select>
          <mat-hint>The tenant's requests are served by these providers.</mat-hint>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Default key lifetime</mat-label>
          <mat-select formControlName="keyLifetimeDays">
            @for (choice of lifetimes; track choice.label) {
              <mat-option [value]="choice.value">{{ choice.label }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
      </form>
    </mat-dialog-content>
    <app-dialog-form-actions
      formId="tenant-create-form"
      submitLabel="Create tenant"
      [busy]="data.store.save$.busy()"
    />
  `,
  styles: `
    form {
      display: flex;
      flex-direction: column;
      gap: 8px;
      width: min(520px, 80vw);
    }
  `,
})
export class TenantCreateDialog {
  protected readonly data = inject<TenantCreateDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<TenantCreateDialog, TenantResponseDto>>(MatDialogRef);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly controlError = controlError;
  protected readonly unmatched = signal<string[]>([]);
  protected readonly slugEdited = signal(false);
  protected readonly lifetimes = LIFETIME_CHOICES.filter((c) => c.value !== null);
  protected readonly form = this.fb.group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    slug: ['', [Validators.required, Validators.maxLength(63), Validators.pattern(TENANT_SLUG_PATTERN)]],
    providerIds: this.fb.control<string[]>(this.data.providers.map((p) => p.id)),
    keyLifetimeDays: this.fb.control<number | null>(90),
  });

  constructor() {
    this.form.controls.name.valueChanges.pipe(takeUntilDestroyed()).subscribe((name) => {
      if (!this.slugEdited()) this.form.controls.slug.setValue(slugify(name));
    });
  }

  protected async save(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { name, slug, providerIds, keyLifetimeDays } = this.form.getRawValue();
    const result = await this.data.store.create({
      name: name.trim(),
      slug,
      providerIds,
      ...(keyLifetimeDays != null ? { keyLifetimeDays } : {}),
    });
    if (result.ok) this.ref.close(result.value);
    else this.unmatched.set(applyServerErrors(this.form, result.problem));
  }
}

import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { type TenantResponseDto } from '../../api/models/tenant-response-dto';
import { type UpdateTenantDto } from '../../api/models/update-tenant-dto';
import { controlError } from '../../core/http/form-errors';
import { ErrorBanner } from '../../core/ui/error-banner';
import { TenantTabBase } from './tenant-tab-base';

function generalForm(fb: NonNullableFormBuilder) {
  return fb.group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    active: [true],
    providerIds: fb.control<string[]>([]),
    keyLifetimeDays: fb.control<number>(0, [Validators.required, Validators.min(0), Validators.max(3650)]),
    defaultSystemPrompt: ['', [Validators.maxLength(20000)]],
    promptLogging: [false],
  });
}
type GeneralForm = ReturnType<typeof generalForm>;

@Component({
  selector: 'app-tenant-general-tab',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  template: `
    <app-error-banner [problem]="store.save$.problem()" [extra]="unmatched()" />
    <form class="tab-form" [formGroup]="form" (ngSubmit)="save()" novalidate aria-label="General settings">
      <mat-form-field>
        <mat-label>Name</mat-label>
        <input matInput formControlName="name" required />
        @if (form.controls.name.invalid) {
          <mat-error>{{ controlError(form.controls.name, 'Name') }}</mat-error>
        }
      </mat-form-field>
      <mat-checkbox formControlName="active">Active (inactive tenants' keys are refused)</mat-checkbox>
      <mat-form-field>
        <mat-label>Providers</mat-label>
        <mat-select formControlName="providerIds" multiple>
          @for (provider of store.providers(); track provider.id) {
            <mat-option [value]="provider.id">{{ provider.name }} ({{ provider.slug }})</mat-option>
          }
        </mat-select>
        <mat-hint>Only these providers serve the tenant's requests.</mat-hint>
        @if (form.controls.providerIds.invalid) {
          <mat-error>{{ controlError(form.controls.providerIds, 'Providers') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Default key lifetime (days)</mat-label>
        <input matInput type="number" formControlName="keyLifetimeDays" min="0" max="3650" />
        <mat-hint>0 = keys do not expire (unless the global maximum says otherwise).</mat-hint>
        @if (form.controls.keyLifetimeDays.invalid) {
          <mat-error>{{ controlError(form.controls.keyLifetimeDays, 'Key lifetime') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Default system prompt</mat-label>
        <textarea matInput formControlName="defaultSystemPrompt" rows="4"></textarea>
        <mat-hint>Added when a request has no system message. Leave empty for none.</mat-hint>
        @if (form.controls.defaultSystemPrompt.invalid) {
          <mat-error>{{ controlError(form.controls.defaultSystemPrompt, 'System prompt') }}</mat-error>
        }
      </mat-form-field>
      <mat-checkbox formControlName="promptLogging"
        >Store prompts and responses (encrypted, with retention)</mat-checkbox
      >
      @if (auth.can('tenants.write')) {
        <div class="tab-actions">
          <button mat-flat-button type="submit" [disabled]="store.save$.busy()">Save general settings</button>
        </div>
      }
    </form>
  `,
})
export class TenantGeneralTab extends TenantTabBase<GeneralForm> {
  protected readonly controlError = controlError;
  protected readonly form = generalForm(inject(NonNullableFormBuilder));

  protected fill(tenant: TenantResponseDto): void {
    this.form.reset({
      name: tenant.name,
      active: tenant.active,
      providerIds: [...tenant.providerIds],
      keyLifetimeDays: tenant.keyLifetimeDays,
      defaultSystemPrompt: tenant.defaultSystemPrompt ?? '',
      promptLogging: tenant.promptLogging,
    });
  }

  protected toUpdate(): UpdateTenantDto {
    const v = this.form.getRawValue();
    return {
      name: v.name.trim(),
      active: v.active,
      providerIds: v.providerIds,
      keyLifetimeDays: v.keyLifetimeDays,
      defaultSystemPrompt: v.defaultSystemPrompt.trim() ? v.defaultSystemPrompt : null,
      promptLogging: v.promptLogging,
    };
  }
}

import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';

import { type ModelAccessDto } from '../../api/models/model-access-dto';
import { type TenantResponseDto } from '../../api/models/tenant-response-dto';
import { type UpdateTenantDto } from '../../api/models/update-tenant-dto';
import { controlError } from '../../core/http/form-errors';
import { ErrorBanner } from '../../core/ui/error-banner';
import { TenantTabBase } from './tenant-tab-base';

const ALIAS_PATTERN = /^[A-Za-z0-9][\w.:/-]{0,99}$/;
type AccessMode = NonNullable<ModelAccessDto['mode']>;

function aliasRow(fb: NonNullableFormBuilder, alias = '', model = '') {
  return fb.group({
    alias: [alias, [Validators.required, Validators.pattern(ALIAS_PATTERN)]],
    model: [model, [Validators.required]],
  });
}

function accessForm(fb: NonNullableFormBuilder) {
  return fb.group({
    modelAccess: fb.group({
      mode: fb.control<AccessMode>('all'),
      list: [''],
    }),
    aliases: fb.array<ReturnType<typeof aliasRow>>([]),
  });
}
type AccessForm = ReturnType<typeof accessForm>;

/** Which models the tenant may use (all, allow-list or block-list) and its model aliases. */
@Component({
  selector: 'app-tenant-access-tab',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatRadioModule,
    ReactiveFormsModule,
  ],
  template: `
    <app-error-banner [problem]="store.save$.problem()" [extra]="unmatched()" />
    <form class="tab-form" [formGroup]="form" (ngSubmit)="save()" novalidate aria-label="Model access">
      <fieldset formGroupName="modelAccess">
        <legend>Model access</legend>
        <mat-radio-group formControlName="mode" aria-label="Model access mode" class="modes">
          <mat-radio-button value="all">All models of the tenant's providers</mat-radio-button>
          <mat-radio-button value="whitelist">Only the models listed</mat-radio-button>
          <mat-radio-button value="blacklist">All except the models listed</mat-radio-button>
        </mat-radio-group>
        @if (form.controls.modelAccess.controls.mode.value !== 'all') {
          <mat-form-field>
            <mat-label>Models</mat-label>
            <textarea
              matInput
              formControlName="list"
              rows="5"
              placeholder="gpt-4o-mini&#10;openai/gpt-4o&#10;claude-*"
            ></textarea>
            <mat-hint>One per line: a model id, providerSlug/modelId, or a pattern with *.</mat-hint>
            @if (form.controls.modelAccess.controls.list.invalid) {
              <mat-error>{{ controlError(form.controls.modelAccess.controls.list, 'Models') }}</mat-error>
            }
          </mat-form-field>
        }
      </fieldset>

      <fieldset>
        <legend>Aliases</legend>
        <p class="hint">Clients may send the alias as the model name; the gateway uses the target model.</p>
        @for (row of form.controls.aliases.controls; track row; let i = $index) {
          <div class="alias-row" [formGroup]="row">
            <mat-form-field>
              <mat-label>Alias</mat-label>
              <input matInput formControlName="alias" />
              @if (row.controls.alias.invalid) {
                <mat-error>{{
                  controlError(
                    row.controls.alias,
                    'Alias',
                    'letters, digits and . _ : / - (starting with a letter or digit)'
                  )
                }}</mat-error>
              }
            </mat-form-field>
            <mat-form-field>
              <mat-label>Model</mat-label>
              <input matInput formControlName="model" />
              @if (row.controls.model.invalid) {
                <mat-error>{{ controlError(row.controls.model, 'Model') }}</mat-error>
              }
            </mat-form-field>
            @if (auth.can('tenants.write')) {
              <button
                mat-icon-button
                type="button"
                (click)="removeAlias(i)"
                [attr.aria-label]="'Remove alias ' + (i + 1)"
              >
                <mat-icon svgIcon="delete" />
              </button>
            }
          </div>
        }
        @if (auth.can('tenants.write')) {
          <button mat-stroked-button type="button" (click)="addAlias()">
            <mat-icon svgIcon="add" />
            Add alias
          </button>
        }
      </fieldset>
      @if (auth.can('tenants.write')) {
        <div class="tab-actions">
          <button mat-flat-button type="submit" [disabled]="store.save$.busy()">Save model access</button>
        </div>
      }
    </form>
  `,
  styles: `
    .modes {
      display: flex;
      flex-direction: column;
      gap: 4px;
      margin-bottom: 12px;
    }
    .alias-row {
      display: grid;
      grid-template-columns: 1fr 2fr auto;
      gap: 12px;
      align-items: flex-start;
    }
    .hint {
      color: var(--mat-sys-on-surface-variant);
      margin: 0 0 8px;
    }
  `,
})
export class TenantAccessTab extends TenantTabBase<AccessForm> {
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly controlError = controlError;
  protected readonly form = accessForm(this.fb);

  protected fill(tenant: TenantResponseDto): void {
    this.form.controls.modelAccess.reset({
      mode: tenant.modelAccess.mode ?? 'all',
      list: (tenant.modelAccess.list ?? []).join('\n'),
    });
    this.form.controls.aliases.clear();
    for (const alias of tenant.aliases)
      this.form.controls.aliases.push(aliasRow(this.fb, alias.alias, alias.model));
  }

  protected addAlias(): void {
    this.form.controls.aliases.push(aliasRow(this.fb));
  }

  protected removeAlias(index: number): void {
    this.form.controls.aliases.removeAt(index);
    this.form.markAsDirty();
  }

  protected toUpdate(): UpdateTenantDto {
    const v = this.form.getRawValue();
    const list = v.modelAccess.list
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    return {
      modelAccess: { mode: v.modelAccess.mode, list },
      aliases: v.aliases.map((a) => ({ alias: a.alias.trim(), model: a.model.trim() })),
    };
  }
}

import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import {
  type FormControl,
  type FormGroup,
  type NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
} from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { type RateLimitDto } from '../../api/models/rate-limit-dto';
import { controlError } from '../../core/http/form-errors';

/** The server's bounds (RateLimitDto): 0 = unlimited. */
export const KEY_RPM_MAX = 1_000_000;
export const KEY_TPM_MAX = 1_000_000_000;

export type KeyRateLimitGroup = FormGroup<{
  requestsPerMinute: FormControl<number | null>;
  tokensPerMinute: FormControl<number | null>;
}>;

/** Empty fields = no limit of that kind; both empty = only the tenant's limit applies. */
export function keyRateLimitGroup(
  fb: NonNullableFormBuilder,
  limit?: RateLimitDto | null,
): KeyRateLimitGroup {
  const value = (n: number | undefined): number | null => (n === undefined || n === 0 ? null : n);
  return fb.group({
    requestsPerMinute: fb.control<number | null>(value(limit?.requestsPerMinute), [
      Validators.min(1),
      Validators.max(KEY_RPM_MAX),
    ]),
    tokensPerMinute: fb.control<number | null>(value(limit?.tokensPerMinute), [
      Validators.min(1),
      Validators.max(KEY_TPM_MAX),
    ]),
  });
}

/** The form's limit for the API: null when both fields are empty (the key has no own limit). */
export function keyRateLimitValue(group: KeyRateLimitGroup): RateLimitDto | null {
  const { requestsPerMinute, tokensPerMinute } = group.getRawValue();
  if (!requestsPerMinute && !tokensPerMinute) return null;
  return { requestsPerMinute: requestsPerMinute ?? 0, tokensPerMinute: tokensPerMinute ?? 0 };
}

/** `60 req/min · 10,000 tok/min`, or null without an own limit. */
export function describeKeyRateLimit(limit: RateLimitDto | null): string | null {
  if (!limit) return null;
  const parts: string[] = [];
  if (limit.requestsPerMinute) parts.push(`${limit.requestsPerMinute.toLocaleString('en-US')} req/min`);
  if (limit.tokensPerMinute) parts.push(`${limit.tokensPerMinute.toLocaleString('en-US')} tok/min`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** The two per-key limit fields (used by the create form and the edit dialog). */
@Component({
  selector: 'app-key-rate-limit-fields',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatInputModule, ReactiveFormsModule],
  template: `
    <ng-container [formGroup]="group()">
      <mat-form-field>
        <mat-label>Requests per minute</mat-label>
        <input matInput type="number" formControlName="requestsPerMinute" min="1" inputmode="numeric" />
        <mat-hint>Empty: only the tenant's limit</mat-hint>
        @if (group().controls.requestsPerMinute.invalid) {
          <mat-error>{{ controlError(group().controls.requestsPerMinute, 'Requests per minute') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Tokens per minute</mat-label>
        <input matInput type="number" formControlName="tokensPerMinute" min="1" inputmode="numeric" />
        <mat-hint>Empty: only the tenant's limit</mat-hint>
        @if (group().controls.tokensPerMinute.invalid) {
          <mat-error>{{ controlError(group().controls.tokensPerMinute, 'Tokens per minute') }}</mat-error>
        }
      </mat-form-field>
    </ng-container>
  `,
  styles: `
    :host {
      display: contents;
    }
  `,
})
export class KeyRateLimitFields {
  readonly group = input.required<KeyRateLimitGroup>();
  protected readonly controlError = controlError;
}

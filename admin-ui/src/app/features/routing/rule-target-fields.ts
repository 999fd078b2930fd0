import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { type FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { controlError } from '../../core/http/form-errors';
import { type Tier, TIERS } from '../../core/routing/tiers';
import { type Domain, DOMAINS } from './rule-set-form';

/** The controls a keyword or role rule shares: what a match routes to. */
export interface RuleTargetControls {
  category: FormControl<string>;
  tierMin: FormControl<Tier | ''>;
  tierMax: FormControl<Tier | ''>;
  domain: FormControl<Domain | ''>;
  confidence: FormControl<number | null>;
}

/** Category, tier range, domain and confidence of one rule. */
@Component({
  selector: 'app-rule-target-fields',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatInputModule, MatSelectModule, ReactiveFormsModule],
  template: `
    <div class="grid">
      <mat-form-field>
        <mat-label>Category</mat-label>
        <input matInput [formControl]="controls().category" maxlength="64" placeholder="category key" />
        @if (controls().category.invalid) {
          <mat-error>{{ controlError(controls().category, 'Category') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Tier at least</mat-label>
        <mat-select [formControl]="controls().tierMin">
          <mat-option value="">—</mat-option>
          @for (tier of tiers; track tier) {
            <mat-option [value]="tier">{{ tier }}</mat-option>
          }
        </mat-select>
        @if (controls().tierMin.invalid) {
          <mat-error>{{ controlError(controls().tierMin, 'Minimum tier') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Tier at most</mat-label>
        <mat-select [formControl]="controls().tierMax">
          <mat-option value="">—</mat-option>
          @for (tier of tiers; track tier) {
            <mat-option [value]="tier">{{ tier }}</mat-option>
          }
        </mat-select>
        @if (controls().tierMax.invalid) {
          <mat-error>{{ controlError(controls().tierMax, 'Maximum tier') }}</mat-error>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Domain</mat-label>
        <mat-select [formControl]="controls().domain">
          <mat-option value="">—</mat-option>
          @for (domain of domains; track domain) {
            <mat-option [value]="domain">{{ domain }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>Confidence</mat-label>
        <input matInput type="number" [formControl]="controls().confidence" min="0" max="1" step="0.05" />
        <mat-hint>Empty: the signal weight</mat-hint>
        @if (controls().confidence.invalid) {
          <mat-error>{{ controlError(controls().confidence, 'Confidence') }}</mat-error>
        }
      </mat-form-field>
    </div>
  `,
  styles: `
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
      gap: 4px 12px;
    }
  `,
})
export class RuleTargetFields {
  readonly controls = input.required<RuleTargetControls>();
  protected readonly tiers = TIERS;
  protected readonly domains = DOMAINS;
  protected readonly controlError = controlError;
}

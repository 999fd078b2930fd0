import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { type BudgetGuardDto } from '../../api/models/budget-guard-dto';
import { type BudgetsDto } from '../../api/models/budgets-dto';
import { type QuotaDto } from '../../api/models/quota-dto';
import { type TenantResponseDto } from '../../api/models/tenant-response-dto';
import { type UpdateTenantDto } from '../../api/models/update-tenant-dto';
import { controlError } from '../../core/http/form-errors';
import { type Tier, TIERS } from '../../core/routing/tiers';
import { ErrorBanner } from '../../core/ui/error-banner';
import { TenantTabBase } from './tenant-tab-base';

type Enforcement = NonNullable<BudgetsDto['enforcement']>;
type QuotaType = NonNullable<QuotaDto['type']>;
type GuardCostMode = NonNullable<BudgetGuardDto['costMode']>;

const QUOTA_TYPES: readonly { value: QuotaType; label: string }[] = [
  { value: 'tokens_daily', label: 'Tokens per day' },
  { value: 'tokens_monthly', label: 'Tokens per month' },
  { value: 'requests_daily', label: 'Requests per day' },
  { value: 'requests_monthly', label: 'Requests per month' },
];

function quotaRow(fb: NonNullableFormBuilder, quota?: QuotaDto) {
  return fb.group({
    type: fb.control<QuotaType>(quota?.type ?? 'tokens_monthly'),
    limit: fb.control<number>(quota?.limit ?? 1_000_000, [
      Validators.required,
      Validators.min(1),
      Validators.max(1e12),
    ]),
    enforcement: fb.control<Enforcement>(quota?.enforcement ?? 'hard_block'),
  });
}

const money = [Validators.min(0), Validators.max(100_000_000)];

function limitsForm(fb: NonNullableFormBuilder) {
  return fb.group({
    rateLimit: fb.group({
      requestsPerMinute: fb.control<number>(0, [Validators.min(0), Validators.max(1_000_000)]),
      tokensPerMinute: fb.control<number>(0, [Validators.min(0), Validators.max(1_000_000_000)]),
    }),
    budgets: fb.group({
      dailyUsd: fb.control<number>(0, money),
      weeklyUsd: fb.control<number>(0, money),
      monthlyUsd: fb.control<number>(0, money),
      enforcement: fb.control<Enforcement>('hard_block'),
    }),
    budgetGuard: fb.group({
      enabled: [false],
      thresholdPct: fb.control<number>(80, [Validators.min(1), Validators.max(100)]),
      costMode: fb.control<GuardCostMode>('economy'),
      blockedTiers: fb.control<Tier[]>([]),
    }),
    quotas: fb.array<ReturnType<typeof quotaRow>>([]),
  });
}
type LimitsForm = ReturnType<typeof limitsForm>;

/** Rate limits, spending budgets (with the budget guard) and token/request quotas. 0 = unlimited. */
@Component({
  selector: 'app-tenant-limits-tab',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  templateUrl: './tenant-limits-tab.html',
  styles: `
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
      gap: 8px 16px;
      align-items: center;
    }
    .quota-row {
      display: grid;
      grid-template-columns: 2fr 2fr 2fr auto;
      gap: 12px;
      align-items: flex-start;
    }
  `,
})
export class TenantLimitsTab extends TenantTabBase<LimitsForm> {
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly controlError = controlError;
  protected readonly tiers = TIERS;
  protected readonly quotaTypes = QUOTA_TYPES;
  protected readonly form = limitsForm(this.fb);

  protected fill(tenant: TenantResponseDto): void {
    this.form.controls.rateLimit.reset({
      requestsPerMinute: tenant.rateLimit.requestsPerMinute ?? 0,
      tokensPerMinute: tenant.rateLimit.tokensPerMinute ?? 0,
    });
    this.form.controls.budgets.reset({
      dailyUsd: tenant.budgets.dailyUsd ?? 0,
      weeklyUsd: tenant.budgets.weeklyUsd ?? 0,
      monthlyUsd: tenant.budgets.monthlyUsd ?? 0,
      enforcement: tenant.budgets.enforcement ?? 'hard_block',
    });
    this.form.controls.budgetGuard.reset({
      enabled: tenant.budgetGuard.enabled ?? false,
      thresholdPct: tenant.budgetGuard.thresholdPct ?? 80,
      costMode: tenant.budgetGuard.costMode ?? 'economy',
      blockedTiers: [...(tenant.budgetGuard.blockedTiers ?? [])],
    });
    this.form.controls.quotas.clear();
    for (const quota of tenant.quotas) this.form.controls.quotas.push(quotaRow(this.fb, quota));
  }

  protected addQuota(): void {
    this.form.controls.quotas.push(quotaRow(this.fb));
  }

  protected removeQuota(index: number): void {
    this.form.controls.quotas.removeAt(index);
    this.form.markAsDirty();
  }

  protected toUpdate(): UpdateTenantDto {
    const v = this.form.getRawValue();
    return { rateLimit: v.rateLimit, budgets: v.budgets, budgetGuard: v.budgetGuard, quotas: v.quotas };
  }
}

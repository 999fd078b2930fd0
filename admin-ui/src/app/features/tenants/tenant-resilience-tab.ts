import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { type FormArray, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { type FallbackChainDto } from '../../api/models/fallback-chain-dto';
import { type LoadBalancingDto } from '../../api/models/load-balancing-dto';
import { type TenantResponseDto } from '../../api/models/tenant-response-dto';
import { type UpdateTenantDto } from '../../api/models/update-tenant-dto';
import { controlError } from '../../core/http/form-errors';
import { ErrorBanner } from '../../core/ui/error-banner';
import { TenantTabBase } from './tenant-tab-base';

type Strategy = NonNullable<LoadBalancingDto['strategy']>;

function targetRow(fb: NonNullableFormBuilder, providerId = '', model = '') {
  return fb.group({ providerId: [providerId, [Validators.required]], model: [model] });
}

function chainRow(fb: NonNullableFormBuilder, chain?: FallbackChainDto) {
  const targets = fb.array(
    (chain?.targets ?? [{ providerId: '' }]).map((t) => targetRow(fb, t.providerId, t.model ?? '')),
  );
  return fb.group({
    modelPattern: [chain?.modelPattern ?? '*', [Validators.required, Validators.maxLength(200)]],
    maxRetries: fb.control<number>(chain?.maxRetries ?? 2, [Validators.min(0), Validators.max(5)]),
    targets,
  });
}

function weightRow(fb: NonNullableFormBuilder, providerId = '', weight = 1) {
  return fb.group({
    providerId: [providerId, [Validators.required]],
    weight: fb.control<number>(weight, [Validators.required, Validators.min(0), Validators.max(1000)]),
  });
}

function resilienceForm(fb: NonNullableFormBuilder) {
  return fb.group({
    loadBalancing: fb.group({
      strategy: fb.control<Strategy>('priority'),
      weights: fb.array<ReturnType<typeof weightRow>>([]),
    }),
    fallbackChains: fb.array<ReturnType<typeof chainRow>>([]),
  });
}
type ResilienceForm = ReturnType<typeof resilienceForm>;
type TargetArray = FormArray<ReturnType<typeof targetRow>>;

/** How the tenant's providers share the load, and where requests go when a provider fails. */
@Component({
  selector: 'app-tenant-resilience-tab',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  templateUrl: './tenant-resilience-tab.html',
  styles: `
    .row {
      display: grid;
      grid-template-columns: 2fr 1fr auto;
      gap: 12px;
      align-items: flex-start;
    }
    .chain {
      margin: 8px 0;
      padding: 8px 12px;
      border: 1px dashed var(--mat-sys-outline-variant);
      border-radius: var(--mat-sys-corner-small);
    }
    .targets {
      padding-left: 16px;
    }
  `,
})
export class TenantResilienceTab extends TenantTabBase<ResilienceForm> {
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly controlError = controlError;
  protected readonly form = resilienceForm(this.fb);

  protected fill(tenant: TenantResponseDto): void {
    const lb = tenant.loadBalancing;
    this.form.controls.loadBalancing.controls.strategy.setValue(lb.strategy ?? 'priority');
    const weights = this.form.controls.loadBalancing.controls.weights;
    weights.clear();
    for (const w of lb.weights ?? []) weights.push(weightRow(this.fb, w.providerId, w.weight));
    this.form.controls.fallbackChains.clear();
    for (const chain of tenant.fallbackChains)
      this.form.controls.fallbackChains.push(chainRow(this.fb, chain));
  }

  protected providerName(id: string): string {
    return this.store.providers().find((p) => p.id === id)?.name ?? id;
  }

  protected addWeight(): void {
    this.form.controls.loadBalancing.controls.weights.push(weightRow(this.fb));
  }

  protected removeWeight(index: number): void {
    this.form.controls.loadBalancing.controls.weights.removeAt(index);
  }

  protected addChain(): void {
    this.form.controls.fallbackChains.push(chainRow(this.fb));
  }

  protected removeChain(index: number): void {
    this.form.controls.fallbackChains.removeAt(index);
  }

  protected addTarget(targets: TargetArray): void {
    targets.push(targetRow(this.fb));
  }

  protected removeTarget(targets: TargetArray, index: number): void {
    targets.removeAt(index);
  }

  protected toUpdate(): UpdateTenantDto {
    const v = this.form.getRawValue();
    return {
      loadBalancing: {
        strategy: v.loadBalancing.strategy,
        weights: v.loadBalancing.strategy === 'weighted' ? v.loadBalancing.weights : [],
      },
      fallbackChains: v.fallbackChains.map((c) => ({
        modelPattern: c.modelPattern.trim(),
        maxRetries: c.maxRetries,
        targets: c.targets.map((t) => ({ providerId: t.providerId, model: t.model.trim() || null })),
      })),
    };
  }
}

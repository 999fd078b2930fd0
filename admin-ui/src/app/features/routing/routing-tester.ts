import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, type OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';

import { type RoutingStepDto } from '../../api/models/routing-step-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { applyServerErrors, clearServerErrors, controlError } from '../../core/http/form-errors';
import { TenantOptionsStore } from '../../core/tenants/tenant-options.store';
import { ErrorBanner } from '../../core/ui/error-banner';
import { RoutingTesterStore, STEP_LABELS } from './routing-tester.store';

/** One line per key of a step's input or output; nested values as compact JSON. */
export function describeRecord(record: Readonly<Record<string, unknown>>): { key: string; value: string }[] {
  return Object.entries(record).map(([key, value]) => ({ key, value: describeValue(value) }));
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '—';
  return JSON.stringify(value);
}

/** The dry-run form and the decision it explains, step by step. */
@Component({
  selector: 'app-routing-tester',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DecimalPipe,
    ErrorBanner,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    ReactiveFormsModule,
  ],
  providers: [RoutingTesterStore],
  templateUrl: './routing-tester.html',
  styleUrl: './routing-tester.scss',
})
export class RoutingTester implements OnInit {
  protected readonly store = inject(RoutingTesterStore);
  protected readonly auth = inject(AuthStore);
  protected readonly tenants = inject(TenantOptionsStore);
  protected readonly controlError = controlError;
  protected readonly unmatched = signal<string[]>([]);
  protected readonly stepLabels = STEP_LABELS;
  protected readonly describe = describeRecord;

  protected readonly form = inject(NonNullableFormBuilder).group({
    tenant: ['', [Validators.required, Validators.maxLength(100)]],
    prompt: ['', [Validators.required, Validators.maxLength(100_000)]],
    systemPrompt: ['', [Validators.maxLength(50_000)]],
    useLlmClassifier: [false],
  });

  /** Tenants come from a picker when the role may list them, otherwise from a text field. */
  protected readonly pickTenant = computed(() => this.tenants.options().length > 0);
  protected readonly totalMs = computed(() => {
    const steps = this.store.result()?.steps ?? [];
    return steps.reduce((sum, step) => sum + step.durationUs, 0) / 1000;
  });

  ngOnInit(): void {
    if (!this.auth.can('routing.write')) this.form.disable();
    void this.pickFirstTenant();
  }

  private async pickFirstTenant(): Promise<void> {
    await this.tenants.load();
    const first = this.tenants.options()[0];
    if (first && !this.form.controls.tenant.value) this.form.controls.tenant.setValue(first.slug);
  }

  protected async run(): Promise<void> {
    clearServerErrors(this.form);
    this.form.markAllAsTouched();
    if (this.form.invalid || this.store.run$.busy()) return;
    const result = await this.store.run(this.form.getRawValue());
    this.unmatched.set(result.ok ? [] : applyServerErrors(this.form, result.problem));
  }

  protected stepMs(step: RoutingStepDto): number {
    return step.durationUs / 1000;
  }
}

import { formatNumber } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  LOCALE_ID,
  type OnInit,
  signal,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';

import { type RoutingDryRunResponseDto } from '../../api/models/routing-dry-run-response-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { applyServerErrors, clearServerErrors, controlError } from '../../core/http/form-errors';
import { TenantOptionsStore } from '../../core/tenants/tenant-options.store';
import { ErrorBanner } from '../../core/ui/error-banner';
import { RoutingDecision, type RoutingDecisionView } from '../../shared/routing-decision/routing-decision';
import { RoutingSteps } from '../../shared/routing-decision/routing-steps';
import { RoutingTesterStore } from './routing-tester.store';

/** The dry-run answer in the shape the shared decision view shows. */
export function dryRunDecisionView(result: RoutingDryRunResponseDto, locale: string): RoutingDecisionView {
  const { classifier } = result;
  return {
    routed: result.routed,
    model: result.model?.id ?? null,
    provider: result.model?.providerSlug ?? result.model?.providerId ?? null,
    tier: result.tier,
    category: result.categoryName ?? result.category,
    confidence: result.confidence,
    source: result.source,
    selectionMethod: result.selectionMethod,
    routingMs: result.routingMs,
    reason: result.reason,
    overrides: result.overrides,
    classifier: classifier.model
      ? `${classifier.model} · ${String(classifier.inputTokens)} in / ${String(classifier.outputTokens)} out · $${formatNumber(classifier.costUsd, locale, '1.0-6')}`
      : null,
    systemPrompt: result.systemPrompt,
  };
}

/** The dry-run form and the decision it explains, step by step. */
@Component({
  selector: 'app-routing-tester',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    ReactiveFormsModule,
    RoutingDecision,
    RoutingSteps,
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
  private readonly locale = inject(LOCALE_ID);

  protected readonly form = inject(NonNullableFormBuilder).group({
    tenant: ['', [Validators.required, Validators.maxLength(100)]],
    prompt: ['', [Validators.required, Validators.maxLength(100_000)]],
    systemPrompt: ['', [Validators.maxLength(50_000)]],
    useLlmClassifier: [false],
  });

  /** Tenants come from a picker when the role may list them, otherwise from a text field. */
  protected readonly pickTenant = computed(() => this.tenants.options().length > 0);
  protected readonly view = computed(() => {
    const result = this.store.result();
    return result ? dryRunDecisionView(result, this.locale) : null;
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
}

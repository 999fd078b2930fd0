import { DatePipe, DecimalPipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, type OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { type MatSelectChange, MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';

import { type RoutingRunResponseDto } from '../../api/models/routing-run-response-dto';
import { type RoutingTestCaseResponseDto } from '../../api/models/routing-test-case-response-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { type Tier, TIERS } from '../../core/routing/tiers';
import { TenantOptionsStore } from '../../core/tenants/tenant-options.store';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { EmptyState } from '../../core/ui/empty-state';
import { ErrorBanner } from '../../core/ui/error-banner';
import { RoutingSuitesStore } from './routing-suites.store';

/** Server rules (routing-suite.dto.ts). */
const CATEGORY_KEY = /^[a-z0-9_]{1,64}$/;
const MODEL_REF = /^\S{1,200}$/;
export const GENERATE_MAX_CASES = 50;

/** One row of the run comparison: a summary figure of each run. */
export interface ComparisonRow {
  label: string;
  values: (number | null)[];
  format: 'percent' | 'number' | 'ms';
  /** Higher is better (accuracy) or lower is better (under-routed, time). */
  better: 'higher' | 'lower';
}

export function comparisonRows(runs: readonly RoutingRunResponseDto[]): ComparisonRow[] {
  const pick = (f: (r: RoutingRunResponseDto) => number | null) => runs.map(f);
  return [
    { label: 'Accuracy', values: pick((r) => r.summary.accuracy), format: 'percent', better: 'higher' },
    {
      label: 'Tier accuracy',
      values: pick((r) => r.summary.tierAccuracy),
      format: 'percent',
      better: 'higher',
    },
    {
      label: 'Category accuracy',
      values: pick((r) => r.summary.categoryAccuracy),
      format: 'percent',
      better: 'higher',
    },
    {
      label: 'Under-routed cases',
      values: pick((r) => r.summary.underRouted),
      format: 'number',
      better: 'lower',
    },
    {
      label: 'Average routing time',
      values: pick((r) => r.summary.avgRoutingMs),
      format: 'ms',
      better: 'lower',
    },
    {
      label: 'Evaluation score',
      values: pick((r) => r.evaluation?.score ?? null),
      format: 'number',
      better: 'higher',
    },
  ];
}

/** Synthetic test suites: write or generate cases, run them through the router, judge and compare runs. */
@Component({
  selector: 'app-routing-suites',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    DecimalPipe,
    EmptyState,
    ErrorBanner,
    MatButtonModule,
    MatCheckboxModule,
    MatExpansionModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    PercentPipe,
    ReactiveFormsModule,
  ],
  providers: [RoutingSuitesStore],
  templateUrl: './routing-suites.html',
  styleUrl: './routing-suites.scss',
})
export class RoutingSuites implements OnInit {
  protected readonly store = inject(RoutingSuitesStore);
  protected readonly auth = inject(AuthStore);
  protected readonly tenants = inject(TenantOptionsStore);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly confirmer = inject(Confirmer);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly controlError = controlError;
  protected readonly tiers = TIERS;
  protected readonly maxGenerate = GENERATE_MAX_CASES;
  protected readonly canWrite = computed(() => this.auth.can('routing.write'));
  protected readonly comparison = computed(() => comparisonRows(this.store.comparison()));
  protected readonly unmatched = signal<string[]>([]);

  protected readonly createForm = this.fb.group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    tenant: [''],
  });
  protected readonly caseForm = this.fb.group({
    prompt: ['', [Validators.required, Validators.maxLength(20_000)]],
    expectedCategory: ['', [Validators.pattern(CATEGORY_KEY)]],
    expectedTierMin: this.fb.control<Tier | ''>(''),
    expectedTierMax: this.fb.control<Tier | ''>(''),
  });
  protected readonly generateForm = this.fb.group({
    provider: ['', [Validators.required]],
    model: ['', [Validators.required, Validators.pattern(MODEL_REF)]],
    count: [10, [Validators.required, Validators.min(1), Validators.max(GENERATE_MAX_CASES)]],
    instructions: ['', [Validators.maxLength(2000)]],
  });
  protected readonly runForm = this.fb.group({
    tenant: [''],
    useLlmClassifier: [false],
  });
  protected readonly evaluateForm = this.fb.group({
    provider: ['', [Validators.required]],
    model: ['', [Validators.required, Validators.pattern(MODEL_REF)]],
  });

  ngOnInit(): void {
    void this.tenants.load();
    void this.store.load(this.auth.can('providers.read'));
  }

  protected tenantName(id: string | null): string {
    return id ? this.tenants.label(id) : 'none';
  }

  protected onSuiteChange(event: MatSelectChange): void {
    if (typeof event.value === 'string') void this.store.select(event.value);
  }

  protected async create(): Promise<void> {
    this.createForm.markAllAsTouched();
    if (this.createForm.invalid || this.store.save$.busy()) return;
    const { name, tenant } = this.createForm.getRawValue();
    const result = await this.store.create({ name: name.trim(), ...(tenant ? { tenant } : {}) });
    if (result.ok) {
      this.createForm.reset({ name: '', tenant: '' });
      this.unmatched.set([]);
    } else {
      this.unmatched.set(applyServerErrors(this.createForm, result.problem));
    }
  }

  protected async removeSuite(): Promise<void> {
    const suite = this.store.selected();
    if (!suite) return;
    const confirmed = await this.confirmer.confirm({
      title: `Delete ${suite.name}?`,
      message: 'The suite, its cases and its runs are deleted.',
      confirmLabel: 'Delete suite',
      destructive: true,
    });
    if (!confirmed) return;
    const result = await this.store.remove(suite);
    if (!result.ok) this.snackBar.open(result.problem.message, 'OK', { duration: 6000 });
  }

  protected async addCase(): Promise<void> {
    this.caseForm.markAllAsTouched();
    const suite = this.store.selected();
    if (!suite || this.caseForm.invalid || this.store.save$.busy()) return;
    const v = this.caseForm.getRawValue();
    const added = {
      prompt: v.prompt.trim(),
      ...(v.expectedCategory ? { expectedCategory: v.expectedCategory } : {}),
      ...(v.expectedTierMin ? { expectedTierMin: v.expectedTierMin } : {}),
      ...(v.expectedTierMax ? { expectedTierMax: v.expectedTierMax } : {}),
    };
    const result = await this.store.setCases([...suite.cases, added]);
    if (result.ok)
      this.caseForm.reset({ prompt: '', expectedCategory: '', expectedTierMin: '', expectedTierMax: '' });
    else this.unmatched.set(applyServerErrors(this.caseForm, result.problem));
  }

  protected async removeCase(index: number): Promise<void> {
    const suite = this.store.selected();
    if (!suite) return;
    const result = await this.store.setCases(suite.cases.filter((_c, i) => i !== index));
    if (!result.ok) this.snackBar.open(result.problem.message, 'OK', { duration: 6000 });
  }

  protected tierRange(c: RoutingTestCaseResponseDto): string {
    if (c.expectedTierMin && c.expectedTierMax) return `${c.expectedTierMin} – ${c.expectedTierMax}`;
    if (c.expectedTierMin) return `≥ ${c.expectedTierMin}`;
    if (c.expectedTierMax) return `≤ ${c.expectedTierMax}`;
    return '—';
  }

  protected async generate(): Promise<void> {
    this.generateForm.markAllAsTouched();
    if (this.generateForm.invalid || this.store.generate$.busy()) return;
    const v = this.generateForm.getRawValue();
    const result = await this.store.generate({
      provider: v.provider.trim(),
      model: v.model.trim(),
      count: v.count,
      ...(v.instructions.trim() ? { instructions: v.instructions.trim() } : {}),
    });
    if (result.ok) {
      this.snackBar.open(
        `${result.value.added} cases added${result.value.rejected ? `, ${result.value.rejected} unusable answers skipped` : ''}.`,
        'OK',
        { duration: 6000 },
      );
    } else {
      applyServerErrors(this.generateForm, result.problem);
    }
  }

  protected async run(): Promise<void> {
    if (this.store.run$.busy()) return;
    const { tenant, useLlmClassifier } = this.runForm.getRawValue();
    const result = await this.store.run({ useLlmClassifier, ...(tenant ? { tenant } : {}) });
    if (result.ok) this.snackBar.open('Run finished.', 'OK', { duration: 4000 });
  }

  protected async evaluate(run: RoutingRunResponseDto): Promise<void> {
    this.evaluateForm.markAllAsTouched();
    if (this.evaluateForm.invalid || this.store.evaluate$.busy()) return;
    const v = this.evaluateForm.getRawValue();
    const result = await this.store.evaluate(run, { provider: v.provider.trim(), model: v.model.trim() });
    if (!result.ok) applyServerErrors(this.evaluateForm, result.problem);
  }

  /** Change from the first to the second compared run, signed, in the row's unit. */
  protected delta(row: ComparisonRow): number | null {
    const [a, b] = row.values;
    return a == null || b == null ? null : b - a;
  }

  protected improved(row: ComparisonRow): boolean | null {
    const d = this.delta(row);
    if (d === null || d === 0) return null;
    return row.better === 'higher' ? d > 0 : d < 0;
  }
}

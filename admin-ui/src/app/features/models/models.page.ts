import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, type OnInit } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog, MatDialogConfig } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { type MatSelectChange, MatSelectModule } from '@angular/material/select';
import { type MatSlideToggleChange, MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';

import { type ModelResponseDto } from '../../api/models/model-response-dto';
import { type UpdateModelDto } from '../../api/models/update-model-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { type Tier, TIERS } from '../../core/routing/tiers';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { ListPage } from '../../core/ui/list-page';
import { filterOptions, ListFilters, type ListSelectFilter, TIER_FILTER } from '../../core/ui/list-filters';
import { PageHeader } from '../../core/ui/page-header';
import { AZURE_API_TYPE_LABELS, type AzureApiType } from '../providers/provider-types';
import { type ModelCreateData, ModelCreateDialog } from './model-create-dialog';
import { type Capability, EMPTY_MODEL_FILTER, type ModelSort, ModelsStore } from './models.store';

const CAPABILITIES: readonly Capability[] = ['vision', 'tools', 'fim', 'embeddings', 'reasoning'];
const MODEL_SORTS: readonly { value: ModelSort; label: string }[] = [
  { value: 'priority', label: 'Priority' },
  { value: 'modelId', label: 'Model id' },
  { value: 'tier', label: 'Tier' },
  { value: 'inputPrice', label: 'Input price' },
  { value: 'outputPrice', label: 'Output price' },
  { value: 'contextWindow', label: 'Context window' },
];

type NumberField = 'contextWindow' | 'priority' | 'inputPer1M' | 'outputPer1M';

const NUMBER_RULES: Readonly<
  Record<NumberField, { min: number; max: number; label: string; integer: boolean }>
> = {
  contextWindow: { min: 1, max: 100_000_000, label: 'Context window', integer: true },
  priority: { min: 1, max: 100, label: 'Priority', integer: true },
  inputPer1M: { min: 0, max: 10_000, label: 'Input price', integer: false },
  outputPer1M: { min: 0, max: 10_000, label: 'Output price', integer: false },
};

/** An inline-edited number column of the table; `label` names the input ("… of openai/gpt-4o"). */
interface NumberColumn {
  field: NumberField;
  header: string;
  label: string;
  min: number;
  max?: number;
  step?: number;
  narrow?: boolean;
}

const NUMBER_COLUMNS: readonly NumberColumn[] = [
  { field: 'contextWindow', header: 'Context', label: 'Context window', min: 1 },
  { field: 'inputPer1M', header: 'In $/1M', label: 'Input price per million tokens', min: 0, step: 0.01 },
  { field: 'outputPer1M', header: 'Out $/1M', label: 'Output price per million tokens', min: 0, step: 0.01 },
  { field: 'priority', header: 'Priority', label: 'Priority', min: 1, max: 100, narrow: true },
];

@Component({
  selector: 'app-models-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ListPage,
    DecimalPipe,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatSelectModule,
    MatSlideToggleModule,
    MatTableModule,
    ListFilters,
    PageHeader,
    ReactiveFormsModule,
  ],
  providers: [ModelsStore],
  templateUrl: './models.page.html',
  styleUrl: './models.page.scss',
})
export class ModelsPage implements OnInit {
  protected readonly store = inject(ModelsStore);
  protected readonly auth = inject(AuthStore);
  private readonly snackBar = inject(MatSnackBar);
  private readonly dialog = inject(MatDialog);
  private readonly confirmer = inject(Confirmer);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly tiers = TIERS;
  protected readonly numberColumns = NUMBER_COLUMNS;
  protected readonly columns = [
    'select',
    'model',
    'provider',
    'tier',
    'contextWindow',
    'inputPer1M',
    'outputPer1M',
    'priority',
    'capabilities',
    'visible',
    'actions',
  ];
  protected readonly apiTypeLabels = AZURE_API_TYPE_LABELS;
  /** Azure providers, whose deployments choose Chat Completions or Responses. */
  private readonly azureProviders = computed(
    () =>
      new Set(
        this.store
          .providers()
          .filter((p) => p.type === 'azure')
          .map((p) => p.id),
      ),
  );
  protected readonly filters = this.fb.group({
    search: [''],
    provider: [''],
    tier: this.fb.control<Tier | ''>(''),
    capability: this.fb.control<Capability | ''>(''),
    visible: this.fb.control<'any' | 'visible' | 'hidden'>('any'),
    sort: this.fb.control<ModelSort>('priority'),
  });

  /** Provider choices come with the store's provider list. */
  protected readonly filterSelects = computed<readonly ListSelectFilter[]>(() => [
    {
      control: 'provider',
      label: 'Provider',
      options: filterOptions(Object.fromEntries(this.store.providers().map((p) => [p.id, p.name])), 'All'),
    },
    TIER_FILTER,
    { control: 'capability', label: 'Capability', options: filterOptions(CAPABILITIES) },
    {
      control: 'visible',
      label: 'Visibility',
      options: filterOptions({ visible: 'Visible', hidden: 'Hidden' }, 'Any', 'any'),
    },
    { control: 'sort', label: 'Sort by', options: MODEL_SORTS },
  ]);

  ngOnInit(): void {
    void this.store.init();
  }

  protected get canEdit(): boolean {
    return this.auth.can('models.write');
  }

  protected applyFilters(): void {
    void this.store.applyFilter(this.filters.getRawValue());
  }

  protected resetFilters(): void {
    this.filters.reset(EMPTY_MODEL_FILTER);
    void this.store.applyFilter(EMPTY_MODEL_FILTER);
  }

  protected isAzure(model: ModelResponseDto): boolean {
    return this.azureProviders().has(model.providerId) && model.apiType !== 'embeddings';
  }

  protected openCreate(): void {
    const config = new MatDialogConfig<ModelCreateData>();
    config.data = { store: this.store };
    this.store.create$.clear();
    this.dialog
      .open<ModelCreateDialog, ModelCreateData, ModelResponseDto>(ModelCreateDialog, config)
      .afterClosed()
      .subscribe((created) => {
        if (created) this.snackBar.open(`Added ${created.prefixedId}.`, 'OK', { duration: 5000 });
      });
  }

  protected async setApiType(model: ModelResponseDto, apiType: AzureApiType): Promise<void> {
    if (await this.save(model, { apiType })) {
      this.snackBar.open(`${model.prefixedId} now uses ${AZURE_API_TYPE_LABELS[apiType]}.`, 'OK', {
        duration: 5000,
      });
    }
  }

  protected async resetToRegistry(model: ModelResponseDto): Promise<void> {
    const confirmed = await this.confirmer.confirm({
      title: `Reset ${model.prefixedId}?`,
      message: `The edited fields (${model.manualFields.join(', ')}) go back to what the provider and the bundled registry say at the next discovery.`,
      confirmLabel: 'Reset',
    });
    if (!confirmed) return;
    const result = await this.store.resetToRegistry(model);
    this.snackBar.open(
      result.ok ? `${model.prefixedId} follows the registry again.` : result.problem.message,
      'OK',
      {
        duration: 6000,
      },
    );
  }

  protected async remove(model: ModelResponseDto): Promise<void> {
    const confirmed = await this.confirmer.confirm({
      title: `Delete ${model.prefixedId}?`,
      message:
        'Routing stops using it and clients can no longer call it. A discovery adds it again if the provider still lists it.',
      confirmLabel: 'Delete model',
      destructive: true,
    });
    if (!confirmed) return;
    const result = await this.store.remove(model);
    this.snackBar.open(result.ok ? `Deleted ${model.prefixedId}.` : result.problem.message, 'OK', {
      duration: 6000,
    });
  }

  protected capabilityList(model: ModelResponseDto): string {
    return CAPABILITIES.filter((c) => model.capabilities[c]).join(', ');
  }

  protected async setTier(model: ModelResponseDto, event: MatSelectChange): Promise<void> {
    const tier = TIERS.find((t) => t === event.value) ?? null;
    await this.save(model, { tier });
  }

  protected async setVisible(model: ModelResponseDto, event: MatSlideToggleChange): Promise<void> {
    await this.save(model, { visible: event.checked });
  }

  /** Inline number edit: checked like the server does, saved on change, reverted on error. */
  protected async setNumber(model: ModelResponseDto, field: NumberField, event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const rule = NUMBER_RULES[field];
    const value = input.value.trim() === '' ? null : Number(input.value);
    const problem =
      value === null
        ? field === 'contextWindow'
          ? null
          : `${rule.label} is required.`
        : !Number.isFinite(value) || value < rule.min || value > rule.max
          ? `${rule.label} must be between ${rule.min} and ${rule.max}.`
          : rule.integer && !Number.isInteger(value)
            ? `${rule.label} must be a whole number.`
            : null;
    if (problem) {
      input.setCustomValidity(problem);
      input.reportValidity();
      this.snackBar.open(problem, 'OK', { duration: 5000 });
      return;
    }
    input.setCustomValidity('');
    const body: UpdateModelDto =
      field === 'inputPer1M' || field === 'outputPer1M'
        ? {
            pricing: {
              inputPer1M: field === 'inputPer1M' ? (value ?? 0) : model.pricing.inputPer1M,
              outputPer1M: field === 'outputPer1M' ? (value ?? 0) : model.pricing.outputPer1M,
            },
          }
        : field === 'priority'
          ? { priority: value ?? 50 }
          : { contextWindow: value };
    const ok = await this.save(model, body);
    if (!ok) input.value = String(this.currentNumber(model, field) ?? '');
  }

  protected async bulk(visible: boolean): Promise<void> {
    const result = await this.store.setVisibility(visible);
    this.snackBar.open(
      result.ok ? `${result.value.updated} models ${visible ? 'shown' : 'hidden'}.` : result.problem.message,
      'OK',
      { duration: 5000 },
    );
  }

  protected currentNumber(model: ModelResponseDto, field: NumberField): number | null {
    if (field === 'inputPer1M' || field === 'outputPer1M') return model.pricing[field];
    return model[field];
  }

  private async save(model: ModelResponseDto, body: UpdateModelDto): Promise<boolean> {
    const result = await this.store.update(model, body);
    if (!result.ok) {
      const details = Object.values(result.problem.fieldErrors).flat();
      this.snackBar.open(details[0] ?? result.problem.message, 'OK', { duration: 6000 });
    }
    return result.ok;
  }
}

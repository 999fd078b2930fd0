import { ChangeDetectionStrategy, Component, inject, type OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog, MatDialogConfig } from '@angular/material/dialog';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';

import { type CategoryResponseDto } from '../../api/models/category-response-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { type Tier } from '../../core/routing/tiers';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { EmptyState } from '../../core/ui/empty-state';
import { ErrorBanner } from '../../core/ui/error-banner';
import { filterOptions, ListFilters, type ListSelectFilter, TIER_FILTER } from '../../core/ui/list-filters';
import { PageHeader } from '../../core/ui/page-header';
import { CategoriesStore, type CategoryFilter, EMPTY_CATEGORY_FILTER } from './categories.store';
import { CategoryDialog, type CategoryDialogData } from './category-dialog';

@Component({
  selector: 'app-categories-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    EmptyState,
    ErrorBanner,
    MatButtonModule,
    MatCheckboxModule,
    MatExpansionModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSelectModule,
    ListFilters,
    PageHeader,
    ReactiveFormsModule,
  ],
  providers: [CategoriesStore],
  templateUrl: './categories.page.html',
  styleUrl: './categories.page.scss',
})
export class CategoriesPage implements OnInit {
  protected readonly store = inject(CategoriesStore);
  protected readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly confirmer = inject(Confirmer);
  private readonly snackBar = inject(MatSnackBar);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly filters = this.fb.group({
    search: [''],
    tier: this.fb.control<Tier | ''>(''),
    state: this.fb.control<CategoryFilter['state']>(''),
    origin: this.fb.control<CategoryFilter['origin']>(''),
  });
  protected readonly filterSelects: readonly ListSelectFilter[] = [
    TIER_FILTER,
    {
      control: 'state',
      label: 'Status',
      options: filterOptions({ enabled: 'Enabled', disabled: 'Disabled' }),
    },
    {
      control: 'origin',
      label: 'Origin',
      options: filterOptions({ 'built-in': 'Built-in', custom: 'Custom' }),
    },
  ];
  protected readonly presetForm = this.fb.group({
    preset: ['', [Validators.required]],
    providerId: ['', [Validators.required]],
    keepExisting: [false],
  });
  protected readonly presetOpen = signal(false);

  ngOnInit(): void {
    void this.store.load();
    if (this.canEdit) void this.store.loadPresetOptions();
  }

  protected get canEdit(): boolean {
    return this.auth.can('routing.write');
  }

  protected applyFilters(): void {
    void this.store.applyFilter(this.filters.getRawValue());
  }

  protected resetFilters(): void {
    this.filters.reset(EMPTY_CATEGORY_FILTER);
    void this.store.applyFilter(EMPTY_CATEGORY_FILTER);
  }

  protected presetDescription(): string {
    const key = this.presetForm.controls.preset.value;
    return this.store.presets().find((p) => p.key === key)?.description ?? '';
  }

  protected exampleCount(category: CategoryResponseDto): number {
    return category.examples.length + category.addedExamples.length;
  }

  protected openEditor(category?: CategoryResponseDto): void {
    const config = new MatDialogConfig<CategoryDialogData>();
    config.data = {
      store: this.store,
      ...(category ? { category } : {}),
      readOnly: !this.canEdit,
    };
    config.maxWidth = '95vw';
    this.store.save$.clear();
    this.dialog
      .open<CategoryDialog, CategoryDialogData, CategoryResponseDto>(CategoryDialog, config)
      .afterClosed()
      .subscribe((saved) => {
        if (saved)
          this.snackBar.open(category ? `Saved ${saved.name}.` : `Created ${saved.name}.`, 'OK', {
            duration: 4000,
          });
      });
  }

  protected async setEnabled(category: CategoryResponseDto, enabled: boolean): Promise<void> {
    const result = await this.store.setEnabled(category, enabled);
    this.snackBar.open(
      result.ok ? `${category.name} ${enabled ? 'enabled' : 'disabled'}.` : result.problem.message,
      'OK',
      { duration: 4000 },
    );
  }

  protected async remove(category: CategoryResponseDto): Promise<void> {
    const confirmed = await this.confirmer.confirm({
      title: `Delete ${category.name}?`,
      message: 'Requests are no longer routed to this category; rules that name it stop matching.',
      confirmLabel: 'Delete',
      destructive: true,
    });
    if (!confirmed) return;
    const result = await this.store.remove(category);
    this.snackBar.open(result.ok ? `Deleted ${category.name}.` : result.problem.message, 'OK', {
      duration: 6000,
    });
  }

  protected async restoreBuiltIns(): Promise<void> {
    const confirmed = await this.confirmer.confirm({
      title: 'Restore the built-in categories?',
      message:
        'Every built-in category gets its shipped name, description, tier, examples, system prompt and ' +
        'enabled state back. Custom categories, chosen models and added examples are kept.',
      confirmLabel: 'Restore',
      destructive: true,
    });
    if (!confirmed) return;
    const result = await this.store.restoreBuiltIns();
    this.snackBar.open(result.ok ? 'Built-in categories restored.' : result.problem.message, 'OK', {
      duration: 6000,
    });
  }

  protected async applyPreset(): Promise<void> {
    this.presetForm.markAllAsTouched();
    if (this.presetForm.invalid || this.store.preset$.busy()) return;
    const { preset, providerId, keepExisting } = this.presetForm.getRawValue();
    const result = await this.store.applyPreset(preset, providerId, keepExisting);
    if (result.ok)
      this.snackBar.open(`Preset applied: ${result.value.updated} categories changed.`, 'OK', {
        duration: 5000,
      });
  }
}

import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';

import { type CategoryResponseDto } from '../../api/models/category-response-dto';
import { applyServerErrors, clearServerErrors, controlError } from '../../core/http/form-errors';
import { TIERS } from '../../core/routing/tiers';
import { ErrorBanner } from '../../core/ui/error-banner';
import { type CategoriesStore } from './categories.store';
import {
  addExample,
  CATEGORY_LIMITS,
  categoryForm,
  removeExample,
  toCreateCategoryDto,
  toUpdateCategoryDto,
} from './category-form';
import { ModelPicker } from './model-picker';

export interface CategoryDialogData {
  store: CategoriesStore;
  /** Absent: create a custom category. */
  category?: CategoryResponseDto;
  readOnly?: boolean;
}

/** Create a custom category, or edit any category: examples, tier, models, prompt, flags. */
@Component({
  selector: 'app-category-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ErrorBanner,
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    ModelPicker,
    ReactiveFormsModule,
  ],
  templateUrl: './category-dialog.html',
  styleUrl: './category-dialog.scss',
})
export class CategoryDialog {
  private readonly data = inject<CategoryDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<CategoryDialog, CategoryResponseDto>>(MatDialogRef);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly store = this.data.store;
  protected readonly category = this.data.category;
  protected readonly readOnly = this.data.readOnly === true;
  protected readonly tiers = TIERS;
  protected readonly limits = CATEGORY_LIMITS;
  protected readonly controlError = controlError;
  protected readonly unmatched = signal<string[]>([]);
  protected readonly form = categoryForm(this.fb, this.category);
  protected readonly newExample = this.fb.control('');
  protected readonly exampleNotice = signal<string | null>(null);
  protected readonly searchModels = (text: string) => this.store.searchModels(text);

  constructor() {
    if (this.category) this.form.controls.key.disable();
    if (this.readOnly) {
      this.form.disable();
      this.newExample.disable();
    }
  }

  protected addExample(event?: Event): void {
    event?.preventDefault();
    // Edits of existing categories add admin examples (kept when built-ins are restored).
    const added = addExample(this.form, this.newExample.value, this.category !== undefined);
    this.exampleNotice.set(
      added || !this.newExample.value.trim() ? null : 'This example is already listed or too long.',
    );
    if (added) this.newExample.setValue('');
  }

  protected removeExample(list: 'examples' | 'addedExamples', index: number): void {
    removeExample(this.form, list, index);
  }

  protected async save(): Promise<void> {
    clearServerErrors(this.form);
    this.form.markAllAsTouched();
    if (this.form.invalid || this.store.save$.busy() || this.readOnly) return;
    const result = this.category
      ? await this.store.update(this.category.key, toUpdateCategoryDto(this.form))
      : await this.store.create(toCreateCategoryDto(this.form));
    if (result.ok) this.ref.close(result.value);
    else this.unmatched.set(applyServerErrors(this.form, result.problem));
  }
}

import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { categoriesAddExamples } from '../../api/fn/categories/categories-add-examples';
import { categoriesList } from '../../api/fn/categories/categories-list';
import { type CategoryResponseDto } from '../../api/models/category-response-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';

/** "Correct this decision": the enabled categories to choose from, and adding the prompt as an example. */
@Injectable()
export class DecisionCorrectionStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly save$ = new AsyncTask();
  readonly categories = signal<CategoryResponseDto[]>([]);

  async load(): Promise<void> {
    const result = await this.load$.run(() => this.api.invoke(categoriesList, { enabled: true }));
    if (result.ok) this.categories.set(result.value.items);
  }

  async addExample(category: string, prompt: string): Promise<TaskResult<CategoryResponseDto>> {
    return this.save$.run(() =>
      this.api.invoke(categoriesAddExamples, { key: category, body: { examples: [prompt] } }),
    );
  }
}

import { signal } from '@angular/core';

import { type ApiProblem, toApiProblem } from '../http/api-problem';

export type TaskResult<T> = { ok: true; value: T } | { ok: false; problem: ApiProblem };

/**
 * Loading and error state of one kind of call in a store (load, save, delete…): `busy()` while a
 * call runs, `problem()` after the last one failed. Stores wrap generated API calls with `run`.
 */
export class AsyncTask {
  private readonly busyState = signal(false);
  private readonly problemState = signal<ApiProblem | null>(null);

  readonly busy = this.busyState.asReadonly();
  readonly problem = this.problemState.asReadonly();

  async run<T>(work: () => Promise<T>): Promise<TaskResult<T>> {
    this.busyState.set(true);
    this.problemState.set(null);
    try {
      return { ok: true, value: await work() };
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      this.problemState.set(problem);
      return { ok: false, problem };
    } finally {
      this.busyState.set(false);
    }
  }

  clear(): void {
    this.problemState.set(null);
  }
}

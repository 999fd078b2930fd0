import { computed, inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { providersList } from '../../api/fn/providers/providers-list';
import { routingSuitesCreate } from '../../api/fn/routing/routing-suites-create';
import { routingSuitesDelete } from '../../api/fn/routing/routing-suites-delete';
import { routingSuitesEvaluate } from '../../api/fn/routing/routing-suites-evaluate';
import { routingSuitesGenerate } from '../../api/fn/routing/routing-suites-generate';
import { routingSuitesGetRun } from '../../api/fn/routing/routing-suites-get-run';
import { routingSuitesList } from '../../api/fn/routing/routing-suites-list';
import { routingSuitesRun } from '../../api/fn/routing/routing-suites-run';
import { routingSuitesRuns } from '../../api/fn/routing/routing-suites-runs';
import { routingSuitesUpdate } from '../../api/fn/routing/routing-suites-update';
import { type CreateRoutingSuiteDto } from '../../api/models/create-routing-suite-dto';
import { type EvaluateRoutingRunDto } from '../../api/models/evaluate-routing-run-dto';
import { type GenerateRoutingCasesDto } from '../../api/models/generate-routing-cases-dto';
import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { type RoutingGenerateResponseDto } from '../../api/models/routing-generate-response-dto';
import { type RoutingRunResponseDto } from '../../api/models/routing-run-response-dto';
import { type RoutingSuiteResponseDto } from '../../api/models/routing-suite-response-dto';
import { type RoutingTestCaseDto } from '../../api/models/routing-test-case-dto';
import { type RunRoutingSuiteDto } from '../../api/models/run-routing-suite-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';

/** Synthetic routing test suites: cases, generation by a model, runs, evaluations, comparison. */
@Injectable()
export class RoutingSuitesStore {
  private readonly api = inject(Api);

  readonly load$ = new AsyncTask();
  readonly save$ = new AsyncTask();
  readonly generate$ = new AsyncTask();
  readonly run$ = new AsyncTask();
  readonly runs$ = new AsyncTask();
  readonly evaluate$ = new AsyncTask();
  readonly suites = signal<RoutingSuiteResponseDto[]>([]);
  readonly loaded = signal(false);
  readonly selectedId = signal<string | null>(null);
  readonly runs = signal<RoutingRunResponseDto[]>([]);
  /** The run whose case results are shown (loaded with its results). */
  readonly openRun = signal<RoutingRunResponseDto | null>(null);
  /** Up to two run ids to compare side by side. */
  readonly compared = signal<readonly string[]>([]);
  readonly providers = signal<ProviderResponseDto[]>([]);

  readonly selected = computed(() => this.suites().find((s) => s.id === this.selectedId()) ?? null);
  readonly comparison = computed(() =>
    this.compared()
      .map((id) => this.runs().find((r) => r.id === id))
      .filter((r): r is RoutingRunResponseDto => r !== undefined),
  );

  async load(canReadProviders: boolean): Promise<void> {
    const result = await this.load$.run(() => this.api.invoke(routingSuitesList));
    if (result.ok) {
      this.suites.set(result.value);
      this.loaded.set(true);
      if (!this.selected() && result.value[0]) await this.select(result.value[0].id);
    }
    if (canReadProviders && this.providers().length === 0) {
      try {
        this.providers.set(await this.api.invoke(providersList));
      } catch {
        // Provider names then have to be typed (slug or id).
      }
    }
  }

  async select(id: string): Promise<void> {
    this.selectedId.set(id);
    this.openRun.set(null);
    this.compared.set([]);
    this.runs.set([]);
    const result = await this.runs$.run(() => this.api.invoke(routingSuitesRuns, { id }));
    if (result.ok && this.selectedId() === id) this.runs.set(result.value);
  }

  async create(body: CreateRoutingSuiteDto): Promise<TaskResult<RoutingSuiteResponseDto>> {
    const result = await this.save$.run(() => this.api.invoke(routingSuitesCreate, { body }));
    if (result.ok) {
      this.suites.update((list) => [...list, result.value]);
      await this.select(result.value.id);
    }
    return result;
  }

  async remove(suite: RoutingSuiteResponseDto): Promise<TaskResult<void>> {
    const result = await this.save$.run(() => this.api.invoke(routingSuitesDelete, { id: suite.id }));
    if (result.ok) {
      this.suites.update((list) => list.filter((s) => s.id !== suite.id));
      const next = this.suites()[0];
      if (next) await this.select(next.id);
      else this.selectedId.set(null);
    }
    return result;
  }

  /** Replaces the suite's cases (PATCH sends the whole list). */
  async setCases(cases: RoutingTestCaseDto[]): Promise<TaskResult<RoutingSuiteResponseDto>> {
    const suite = this.selected();
    if (!suite) throw new Error('No suite selected');
    const result = await this.save$.run(() =>
      this.api.invoke(routingSuitesUpdate, { id: suite.id, body: { cases } }),
    );
    if (result.ok) this.replace(result.value);
    return result;
  }

  async generate(body: GenerateRoutingCasesDto): Promise<TaskResult<RoutingGenerateResponseDto>> {
    const suite = this.selected();
    if (!suite) throw new Error('No suite selected');
    const result = await this.generate$.run(() =>
      this.api.invoke(routingSuitesGenerate, { id: suite.id, body }),
    );
    if (result.ok) this.replace(result.value.suite);
    return result;
  }

  async run(body: RunRoutingSuiteDto): Promise<TaskResult<RoutingRunResponseDto>> {
    const suite = this.selected();
    if (!suite) throw new Error('No suite selected');
    const result = await this.run$.run(() => this.api.invoke(routingSuitesRun, { id: suite.id, body }));
    if (result.ok) {
      this.runs.update((runs) => [result.value, ...runs]);
      this.openRun.set(result.value);
    }
    return result;
  }

  async showRun(run: RoutingRunResponseDto): Promise<void> {
    const result = await this.runs$.run(() => this.api.invoke(routingSuitesGetRun, { runId: run.id }));
    if (result.ok) this.openRun.set(result.value);
  }

  async evaluate(
    run: RoutingRunResponseDto,
    body: EvaluateRoutingRunDto,
  ): Promise<TaskResult<RoutingRunResponseDto>> {
    const result = await this.evaluate$.run(() =>
      this.api.invoke(routingSuitesEvaluate, { runId: run.id, body }),
    );
    if (result.ok) {
      const evaluated = result.value;
      this.runs.update((runs) =>
        runs.map((r) => (r.id === evaluated.id ? { ...r, evaluation: evaluated.evaluation } : r)),
      );
      if (this.openRun()?.id === evaluated.id) this.openRun.set(evaluated);
    }
    return result;
  }

  /** Ticks a run for comparison; the oldest tick drops out when a third is ticked. */
  toggleCompared(runId: string): void {
    this.compared.update((ids) =>
      ids.includes(runId) ? ids.filter((id) => id !== runId) : [...ids, runId].slice(-2),
    );
  }

  private replace(suite: RoutingSuiteResponseDto): void {
    this.suites.update((list) => list.map((s) => (s.id === suite.id ? suite : s)));
  }
}

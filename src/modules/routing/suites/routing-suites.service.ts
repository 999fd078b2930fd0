import { Injectable } from '@nestjs/common';

import { RoutingCatalog } from '../catalog/routing-catalog';
import { benchMessages, RoutingBench } from '../dry-run/routing-bench.service';
import {
  RoutingInputError,
  RoutingLlmError,
  RoutingRunNotFoundError,
  RoutingSuiteNotFoundError,
} from '../dry-run/routing-tools.errors';
import { decisionSummary } from '../engine/decision-view';
import { jsonFromAnswer, LENIENT_VALUE } from '../engine/model-answer';
import type {
  RoutingGenerateResponseDto,
  RoutingRunResponseDto,
  RoutingSuiteResponseDto,
} from './dto/routing-suite-response.dto';
import {
  type CreateRoutingSuiteDto,
  type EvaluateRoutingRunDto,
  GENERATE_MAX_CASES,
  type GenerateRoutingCasesDto,
  type RunRoutingSuiteDto,
  SUITE_MAX_CASES,
  type UpdateRoutingSuiteDto,
} from './dto/routing-suite.dto';
import { RoutingLlm } from './routing-llm.service';
import type { RoutingCaseResult, RoutingTestCase } from './routing-suite.schema';
import { type RunRecord, type SuiteRecord, RoutingSuitesRepository } from './routing-suites.repository';
import { matchFlags, parseEvaluation, parseGeneratedCases, summariseRun } from './suite-scoring';

const RUNS_LISTED = 50;
/** Misrouted cases shown to the evaluator at most (its prompt stays bounded). */
const EVALUATION_CASES = 60;

/** Synthetic routing tests: suites of cases, LLM generation, runs through the engine, LLM evaluation. */
@Injectable()
export class RoutingSuitesService {
  constructor(
    private readonly repository: RoutingSuitesRepository,
    private readonly bench: RoutingBench,
    private readonly catalog: RoutingCatalog,
    private readonly llm: RoutingLlm,
  ) {}

  async list(): Promise<RoutingSuiteResponseDto[]> {
    return (await this.repository.list()).map(toSuiteDto);
  }

  async get(id: string): Promise<RoutingSuiteResponseDto> {
    return toSuiteDto(await this.require(id));
  }

  async create(dto: CreateRoutingSuiteDto): Promise<RoutingSuiteResponseDto> {
    const tenantId = dto.tenant ? this.bench.tenant(dto.tenant).id : null;
    const created = await this.repository.create({
      name: dto.name,
      description: dto.description ?? '',
      tenantId,
      cases: (dto.cases ?? []).map(cleanCase),
    });
    return toSuiteDto(created);
  }

  async update(id: string, dto: UpdateRoutingSuiteDto): Promise<RoutingSuiteResponseDto> {
    await this.require(id);
    const updated = await this.repository.update(id, {
      ...(dto.name !== undefined ? { name: dto.name } : {}),
      ...(dto.description !== undefined ? { description: dto.description } : {}),
      ...(dto.tenant !== undefined ? { tenantId: this.bench.tenant(dto.tenant).id } : {}),
      ...(dto.cases !== undefined ? { cases: dto.cases.map(cleanCase) } : {}),
    });
    if (!updated) throw new RoutingSuiteNotFoundError(id);
    return toSuiteDto(updated);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repository.delete(id))) throw new RoutingSuiteNotFoundError(id);
  }

  /** Asks a model for new cases and appends the usable ones (never beyond the suite limit). */
  async generate(id: string, dto: GenerateRoutingCasesDto): Promise<RoutingGenerateResponseDto> {
    const suite = await this.require(id);
    const room = SUITE_MAX_CASES - suite.cases.length;
    if (room <= 0) throw new RoutingInputError(`The suite already has ${SUITE_MAX_CASES} cases`);
    const count = Math.min(dto.count ?? 10, GENERATE_MAX_CASES, room);
    const categories = this.catalog.categories().filter((c) => c.enabled !== false);
    const known = new Set(categories.map((c) => c.key));
    const unknown = (dto.categories ?? []).filter((key) => !known.has(key));
    if (unknown.length > 0) {
      throw new RoutingInputError(`Unknown categories: ${unknown.join(', ')}`, { field: 'categories' });
    }
    const wanted = dto.categories?.length
      ? categories.filter((c) => dto.categories?.includes(c.key))
      : categories;
    const text = await this.llm.complete({
      provider: dto.provider,
      model: dto.model,
      maxTokens: Math.min(8000, 300 + count * 250),
      system: [
        'You write test cases for an LLM request router. Each case is a realistic user request and',
        'the category and tier band it should be routed to. Answer with one JSON array only, no prose:',
        '[{"prompt": "...", "systemPrompt": "optional", "expectedCategory": "<key>",',
        '"expectedTierMin": "<tier>", "expectedTierMax": "<tier>"}]',
        `Tiers, cheapest first: ${['micro', 'minimal', 'low', 'medium', 'advanced', 'high', 'ultra', 'critical'].join(', ')}.`,
        'Categories (key, tier: description):',
        ...wanted.map((c) => `- ${c.key} (${c.tier}): ${c.description.slice(0, 160)}`),
      ].join('\n'),
      user: [
        `Write ${count} varied cases (different phrasings, lengths and difficulty; some in German).`,
        'The tier band is the cheapest tier that does the job safely up to the most expensive one that is not a waste.',
        ...(dto.instructions ? [`Guidance: ${dto.instructions}`] : []),
      ].join('\n'),
    });
    const { cases, rejected } = parseGeneratedCases(jsonFromAnswer(text, LENIENT_VALUE), known, count);
    if (cases.length === 0) throw new RoutingLlmError('The model answered without any usable test case');
    const updated = await this.repository.appendCases(id, cases);
    if (!updated) throw new RoutingSuiteNotFoundError(id);
    return { added: cases.length, rejected, suite: toSuiteDto(updated) };
  }

  /** Routes every case through the production engine (dry run) and stores the run. */
  async run(id: string, dto: RunRoutingSuiteDto): Promise<RoutingRunResponseDto> {
    const suite = await this.require(id);
    const tenantRef = dto.tenant ?? suite.tenantId;
    if (!tenantRef) throw new RoutingInputError('Name a tenant: the suite has none', { field: 'tenant' });
    const tenant = this.bench.tenant(tenantRef);
    if (suite.cases.length === 0) throw new RoutingInputError('The suite has no cases');
    const llmClassifier = dto.useLlmClassifier === true;
    const results: RoutingCaseResult[] = [];
    for (const [index, testCase] of suite.cases.entries()) {
      const decision = await this.bench.dryRun(tenant, benchMessages(testCase), { llmClassifier });
      results.push({
        index,
        prompt: testCase.prompt,
        ...(testCase.expectedCategory ? { expectedCategory: testCase.expectedCategory } : {}),
        ...(testCase.expectedTierMin ? { expectedTierMin: testCase.expectedTierMin } : {}),
        ...(testCase.expectedTierMax ? { expectedTierMax: testCase.expectedTierMax } : {}),
        ...decisionSummary(decision),
        ...matchFlags(testCase, decision),
        routingMs: decision.routingMs,
      });
      // Long suites: let the event loop breathe between cases.
      if (index % 25 === 24) await new Promise((resolve) => setImmediate(resolve));
    }
    const run = await this.repository.createRun({
      suiteId: suite._id.toString(),
      tenantId: tenant.id,
      createdAt: new Date(),
      llmClassifier,
      summary: summariseRun(results),
      results,
      evaluation: null,
    });
    return toRunDto(run);
  }

  async runs(id: string): Promise<RoutingRunResponseDto[]> {
    await this.require(id);
    return (await this.repository.listRuns(id, RUNS_LISTED)).map(toRunDto);
  }

  async getRun(runId: string): Promise<RoutingRunResponseDto> {
    return toRunDto(await this.requireRun(runId));
  }

  /** Asks a model to judge a run: score, quality and cost suggestions. */
  async evaluate(runId: string, dto: EvaluateRoutingRunDto): Promise<RoutingRunResponseDto> {
    const run = await this.requireRun(runId);
    const misses = run.results.filter((r) => r.categoryMatch === false || r.tierMatch === false);
    const sample = (misses.length > 0 ? misses : run.results).slice(0, EVALUATION_CASES);
    const text = await this.llm.complete({
      provider: dto.provider,
      model: dto.model,
      maxTokens: 1500,
      system: [
        'You review the results of an LLM request router: each request got a category and a tier',
        '(micro < minimal < low < medium < advanced < high < ultra < critical; higher is more capable and more expensive).',
        'Judge whether the routing is good: under-routing (too weak a model) hurts quality, over-routing wastes money.',
        'Answer with one JSON object only:',
        '{"score": <0-100>, "summary": "...", "qualitySuggestions": ["..."], "costSuggestions": ["..."]}',
      ].join('\n'),
      user: JSON.stringify({
        summary: run.summary,
        cases: sample.map((r) => ({
          prompt: r.prompt.slice(0, 300),
          expected: { category: r.expectedCategory, tierMin: r.expectedTierMin, tierMax: r.expectedTierMax },
          routed: { category: r.category, tier: r.tier, model: r.model },
        })),
      }),
    });
    const parsed = parseEvaluation(jsonFromAnswer(text, LENIENT_VALUE));
    if (!parsed) throw new RoutingLlmError('The model answered without a usable evaluation (no JSON score)');
    const updated = await this.repository.setEvaluation(runId, {
      ...parsed,
      provider: dto.provider,
      model: dto.model,
      evaluatedAt: new Date(),
    });
    if (!updated) throw new RoutingRunNotFoundError(runId);
    return toRunDto(updated);
  }

  private async require(id: string): Promise<SuiteRecord> {
    const suite = await this.repository.find(id);
    if (!suite) throw new RoutingSuiteNotFoundError(id);
    return suite;
  }

  private async requireRun(id: string): Promise<RunRecord> {
    const run = await this.repository.findRun(id);
    if (!run) throw new RoutingRunNotFoundError(id);
    return run;
  }
}

function cleanCase(dto: RoutingTestCase): RoutingTestCase {
  return {
    prompt: dto.prompt,
    ...(dto.systemPrompt ? { systemPrompt: dto.systemPrompt } : {}),
    ...(dto.expectedCategory ? { expectedCategory: dto.expectedCategory } : {}),
    ...(dto.expectedTierMin ? { expectedTierMin: dto.expectedTierMin } : {}),
    ...(dto.expectedTierMax ? { expectedTierMax: dto.expectedTierMax } : {}),
  };
}

function toSuiteDto(suite: SuiteRecord): RoutingSuiteResponseDto {
  return {
    id: suite._id.toString(),
    name: suite.name,
    description: suite.description ?? '',
    tenantId: suite.tenantId ?? null,
    cases: suite.cases.map(cleanCase),
    createdAt: suite.createdAt.toISOString(),
    updatedAt: suite.updatedAt.toISOString(),
  };
}

function toRunDto(run: RunRecord): RoutingRunResponseDto {
  return {
    id: run._id.toString(),
    suiteId: run.suiteId,
    tenantId: run.tenantId,
    createdAt: run.createdAt.toISOString(),
    llmClassifier: run.llmClassifier ?? false,
    summary: run.summary,
    ...(run.results ? { results: run.results } : {}),
    evaluation: run.evaluation
      ? { ...run.evaluation, evaluatedAt: new Date(run.evaluation.evaluatedAt).toISOString() }
      : null,
  };
}

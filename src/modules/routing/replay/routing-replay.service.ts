import { Injectable } from '@nestjs/common';

import { isTier, TIERS, compareTiers, type Tier } from '../../../common/tiers';
import { AnalyticsRepository, type RoutedLogRow } from '../../analytics/analytics.repository';
import type { TenantView } from '../../tenants/tenant.types';
import { RoutingCatalog } from '../catalog/routing-catalog';
import { RoutingBench } from '../dry-run/routing-bench.service';
import { RoutingInputError } from '../dry-run/routing-tools.errors';
import { validateRuleSet } from '../engine/rule-set.validation';
import type { RuleSet } from '../router.interface';
import { RoutingTraceRepository } from '../trace/routing-trace.repository';
import type { StoredRoutingTrace } from '../trace/routing-trace.types';
import type { RoutingReplayDto, RoutingReplayResponseDto } from './dto/replay.dto';

const DEFAULT_LIMIT = 100;
const MAX_CHANGES = 100;
const MAX_CATEGORY_CHANGES = 50;

const NOTES = [
  'Replayed from stored signals and evidence, without the prompts: keyword rules match on the keywords that matched originally, role rules by name.',
  'The LLM classifier is not called again; its recorded answer is reused when the proposed threshold still asks for it.',
  'Costs use the logged token counts at current model prices; budget-guard state at the time is not replayed.',
];

/** Re-routes the newest logged requests through a proposed rule set (DESIGN.md §4). */
@Injectable()
export class RoutingReplayService {
  constructor(
    private readonly bench: RoutingBench,
    private readonly catalog: RoutingCatalog,
    private readonly logs: AnalyticsRepository,
    private readonly traces: RoutingTraceRepository,
  ) {}

  async replay(dto: RoutingReplayDto): Promise<RoutingReplayResponseDto> {
    const ruleSet = dto.ruleSet ? this.validate(dto.ruleSet) : undefined;
    const onlyTenant = dto.tenant ? this.bench.tenant(dto.tenant) : null;
    const rows = await this.logs.recentRoutedLogs(onlyTenant?.id ?? null, dto.limit ?? DEFAULT_LIMIT);
    const traceIds = rows.flatMap((row) => (row.routingTraceId ? [row.routingTraceId] : []));
    const stored = new Map(
      (await this.traces.findByIds(traceIds, onlyTenant ? [onlyTenant.id] : undefined)).map((t) => [
        t._id.toString(),
        t,
      ]),
    );

    const report = new ReplayReport();
    for (const row of rows) {
      const record = row.routingTraceId ? stored.get(row.routingTraceId) : undefined;
      const tenant = row.tenantId ? this.tenantOrNull(row.tenantId) : null;
      if (!record || !tenant) {
        report.skipped += 1;
        continue;
      }
      const trace = JSON.parse(record.data) as StoredRoutingTrace;
      const decision = await this.bench.replay(trace.evidence, tenant, ruleSet);
      const prices = this.prices(tenant);
      const originalTier: Tier = isTier(trace.tier) ? trace.tier : decision.tier;
      report.add(row, {
        fromTier: originalTier,
        toTier: decision.tier,
        fromCategory: trace.category,
        toCategory: decision.category,
        fromModel: trace.model ?? row.routedModel,
        toModel: decision.model?.id ?? null,
        originalUsd:
          priceOf(prices, trace.model ?? row.routedModel, trace.providerId, row) ?? row.costUsd ?? 0,
        proposedUsd:
          priceOf(prices, decision.model?.id ?? null, decision.model?.providerId ?? null, row) ?? 0,
      });
    }
    return report.result();
  }

  private validate(raw: Record<string, unknown>): RuleSet {
    const categoryKeys = this.catalog.categories().map((c) => c.key);
    const result = validateRuleSet(raw, { categoryKeys });
    if (!result.ok)
      throw new RoutingInputError('The proposed rule set is invalid', { errors: result.errors });
    return result.value;
  }

  private tenantOrNull(id: string): TenantView | null {
    try {
      return this.bench.tenant(id);
    } catch {
      return null;
    }
  }

  private prices(tenant: TenantView): Map<string, { input: number; output: number }> {
    const map = new Map<string, { input: number; output: number }>();
    for (const model of this.bench.models(tenant).allowed) {
      const price = { input: model.pricing.inputPer1M, output: model.pricing.outputPer1M };
      map.set(`${model.providerId}/${model.modelId}`, price);
      if (!map.has(model.modelId)) map.set(model.modelId, price);
    }
    return map;
  }
}

function priceOf(
  prices: Map<string, { input: number; output: number }>,
  model: string | null,
  providerId: string | null,
  row: RoutedLogRow,
): number | null {
  if (!model) return null;
  const price = (providerId ? prices.get(`${providerId}/${model}`) : undefined) ?? prices.get(model);
  if (!price) return null;
  return ((row.inputTokens ?? 0) * price.input + (row.outputTokens ?? 0) * price.output) / 1_000_000;
}

interface ReplayedRequest {
  fromTier: Tier;
  toTier: Tier;
  fromCategory: string | null;
  toCategory: string | null;
  fromModel: string | null;
  toModel: string | null;
  originalUsd: number;
  proposedUsd: number;
}

class ReplayReport {
  skipped = 0;
  private replayed = 0;
  private up = 0;
  private down = 0;
  private modelChanged = 0;
  private categoryChanged = 0;
  private originalUsd = 0;
  private proposedUsd = 0;
  private readonly matrix = new Map<string, number>();
  private readonly categories = new Map<string, { from: string | null; to: string | null; count: number }>();
  private readonly changes: RoutingReplayResponseDto['changes'] = [];

  add(row: RoutedLogRow, request: ReplayedRequest): void {
    this.replayed += 1;
    const shift = compareTiers(request.toTier, request.fromTier);
    if (shift > 0) this.up += 1;
    if (shift < 0) this.down += 1;
    const cell = `${request.fromTier}>${request.toTier}`;
    this.matrix.set(cell, (this.matrix.get(cell) ?? 0) + 1);
    const categoryChanged = request.fromCategory !== request.toCategory;
    if (categoryChanged) {
      this.categoryChanged += 1;
      const key = `${request.fromCategory ?? ''}>${request.toCategory ?? ''}`;
      const entry = this.categories.get(key) ?? {
        from: request.fromCategory,
        to: request.toCategory,
        count: 0,
      };
      entry.count += 1;
      this.categories.set(key, entry);
    }
    const modelChanged = request.fromModel !== request.toModel;
    if (modelChanged) this.modelChanged += 1;
    this.originalUsd += request.originalUsd;
    this.proposedUsd += request.proposedUsd;
    if ((shift !== 0 || categoryChanged || modelChanged) && this.changes.length < MAX_CHANGES) {
      this.changes.push({
        requestId: row.requestId,
        timestamp: new Date(row.timestamp).toISOString(),
        tenantId: row.tenantId ?? null,
        fromTier: request.fromTier,
        toTier: request.toTier,
        fromCategory: request.fromCategory,
        toCategory: request.toCategory,
        fromModel: request.fromModel,
        toModel: request.toModel,
      });
    }
  }

  result(): RoutingReplayResponseDto {
    const round = (usd: number): number => Math.round(usd * 1e8) / 1e8;
    const tierMatrix = [...this.matrix.entries()]
      .map(([cell, count]) => {
        const [from, to] = cell.split('>') as [Tier, Tier];
        return { from, to, count };
      })
      .sort(
        (a, b) => TIERS.indexOf(a.from) - TIERS.indexOf(b.from) || TIERS.indexOf(a.to) - TIERS.indexOf(b.to),
      );
    const change = this.proposedUsd - this.originalUsd;
    return {
      replayed: this.replayed,
      skipped: this.skipped,
      tierUp: this.up,
      tierDown: this.down,
      tierSame: this.replayed - this.up - this.down,
      tierMatrix,
      categoryChanged: this.categoryChanged,
      categoryChanges: [...this.categories.values()]
        .sort((a, b) => b.count - a.count)
        .slice(0, MAX_CATEGORY_CHANGES),
      modelChanged: this.modelChanged,
      cost: {
        originalUsd: round(this.originalUsd),
        proposedUsd: round(this.proposedUsd),
        changeUsd: round(change),
        changePct: this.originalUsd > 0 ? Math.round((change / this.originalUsd) * 10_000) / 100 : null,
      },
      changes: this.changes,
      notes: NOTES,
    };
  }
}

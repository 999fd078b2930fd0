import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';

import { AnalyticsRepository } from './analytics.repository';
import { RequestLogRepository } from './request-log.repository';
import type { RequestLogRecord } from './request-log.schema';
import { buildRollups } from './rollups';
import { type TimeRange } from './usage-range';
import { UsageRollupRepository } from './usage-rollup.repository';

const BATCH = 5000;

export interface RollupRebuildResult {
  from: Date;
  to: Date;
  /** Request-log rows read. */
  logs: number;
  /** Rollup rows deleted before recomputing. */
  deletedRows: number;
}

/**
 * Recomputes the rollups of whole UTC days from the request log (repairs). The caller makes sure
 * the range is closed (no live writes into it) and still within the log's retention.
 */
@Injectable()
export class RollupRebuildService {
  constructor(
    private readonly logs: RequestLogRepository,
    private readonly rollups: UsageRollupRepository,
    private readonly writes: AnalyticsRepository,
  ) {}

  async rebuild(range: TimeRange): Promise<RollupRebuildResult> {
    const deletedRows =
      (await this.rollups.deleteRange('hour', range.from, range.to)) +
      (await this.rollups.deleteRange('day', range.from, range.to));
    // A writer id of its own: the rebuild's batches never collide with a live writer's guard.
    const writer = `rebuild-${randomBytes(4).toString('hex')}`;
    let seq = 0;
    let logs = 0;
    let batch: RequestLogRecord[] = [];
    const apply = async (): Promise<void> => {
      if (batch.length === 0) return;
      await this.writes.applyRollups(buildRollups(batch), { writer, seq: ++seq });
      logs += batch.length;
      batch = [];
    };
    for await (const log of this.logs.rangeRows(range)) {
      batch.push(withDefaults(log));
      if (batch.length >= BATCH) await apply();
    }
    await apply();
    return { from: range.from, to: range.to, logs, deletedRows };
  }
}

/** Stored rows omit default values (compact storage); the rollup builder reads them as such. */
function withDefaults(log: RequestLogRecord): RequestLogRecord {
  return {
    ...log,
    tenantId: log.tenantId ?? null,
    stream: log.stream === true,
    autoRouted: log.autoRouted === true,
    fallback: log.fallback === true,
    inputTokens: log.inputTokens ?? 0,
    outputTokens: log.outputTokens ?? 0,
    costUsd: log.costUsd ?? 0,
    baselineCostUsd: log.baselineCostUsd ?? 0,
    savedUsd: log.savedUsd ?? 0,
    latencyMs: log.latencyMs ?? 0,
    overheadMs: log.overheadMs ?? 0,
    upstreamMs: log.upstreamMs ?? 0,
    ttftMs: log.ttftMs ?? null,
  };
}

import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';

import {
  ROLLUP_COUNTERS,
  ROLLUP_HISTOGRAMS,
  type RollupDimension,
  type RollupGrain,
  UsageRollup,
} from './usage-rollup.schema';

/** The fields dashboards read from a rollup row (no idempotence guard). */
export type RollupRow = Omit<UsageRollup, 'w' | 'grain' | 'dimension'>;

const ROW_FIELDS: Record<string, 0 | 1> = { _id: 0, period: 1, tenantId: 1, key: 1, label: 1 };
for (const name of [...ROLLUP_COUNTERS, ...ROLLUP_HISTOGRAMS]) ROW_FIELDS[name] = 1;

export interface RollupQuery {
  dimension: RollupDimension;
  grain: RollupGrain;
  /** Periods starting at or after `from` and before `to`. */
  from: Date;
  to: Date;
  /** Only these tenants; undefined = all. */
  tenantIds?: readonly string[];
}

/** Reads, purges and rebuild-deletes of `usage_rollups` (writes: AnalyticsRepository.applyRollups). */
@Injectable()
export class UsageRollupRepository {
  constructor(@InjectModel(UsageRollup.name) private readonly rollups: Model<UsageRollup>) {}

  async find(query: RollupQuery): Promise<RollupRow[]> {
    if (query.from >= query.to) return [];
    if (query.tenantIds && query.tenantIds.length === 0) return [];
    const filter: Record<string, unknown> = {
      dimension: query.dimension,
      grain: query.grain,
      period: { $gte: query.from, $lt: query.to },
    };
    if (query.tenantIds) {
      filter.tenantId = query.tenantIds.length === 1 ? query.tenantIds[0] : { $in: query.tenantIds };
    }
    return this.rollups.find(filter).select(ROW_FIELDS).lean<RollupRow[]>().exec();
  }

  /** Deletes rows of a grain whose period started before `before` (retention). */
  async deleteBefore(grain: RollupGrain, before: Date): Promise<number> {
    const result = await this.rollups.deleteMany({ grain, period: { $lt: before } }).exec();
    return result.deletedCount;
  }

  /** Deletes every row of periods in [from, to) (a rebuild recomputes them from the logs). */
  async deleteRange(grain: RollupGrain, from: Date, to: Date): Promise<number> {
    const result = await this.rollups.deleteMany({ grain, period: { $gte: from, $lt: to } }).exec();
    return result.deletedCount;
  }
}

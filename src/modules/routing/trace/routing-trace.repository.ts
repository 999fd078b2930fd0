import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';

import { RoutingTrace, type RoutingTraceRecord } from './routing-trace.schema';

/** The only code touching `routing_traces`. */
@Injectable()
export class RoutingTraceRepository {
  constructor(@InjectModel(RoutingTrace.name) private readonly traces: Model<RoutingTrace>) {}

  /** Inserts complete documents; ids already present (a retried batch) are skipped. */
  async insertMany(docs: readonly RoutingTraceRecord[]): Promise<void> {
    if (docs.length === 0) return;
    try {
      await this.traces.collection.insertMany(docs, { ordered: false });
    } catch (error) {
      const errors = (error as { writeErrors?: { code?: number }[]; code?: number }).writeErrors;
      const duplicates = errors
        ? errors.every((w) => w.code === 11000)
        : (error as { code?: number }).code === 11000;
      if (!duplicates) throw error;
    }
  }

  /** `tenantIds`: the caller's tenants (tenant roles), undefined for global roles: a trace of another tenant is not found. */
  async findById(id: string, tenantIds: readonly string[] | undefined): Promise<RoutingTraceRecord | null> {
    if (!isObjectId(id)) return null;
    return this.traces
      .findOne({ _id: new Types.ObjectId(id), ...tenantScope(tenantIds) })
      .lean<RoutingTraceRecord>()
      .exec();
  }

  async findByIds(
    ids: readonly string[],
    tenantIds: readonly string[] | undefined,
  ): Promise<RoutingTraceRecord[]> {
    const valid = ids.filter(isObjectId).map((id) => new Types.ObjectId(id));
    if (valid.length === 0) return [];
    return this.traces
      .find({ _id: { $in: valid }, ...tenantScope(tenantIds) })
      .lean<RoutingTraceRecord[]>()
      .exec();
  }

  /** For servers without TTL indexes. */
  async deleteExpired(now: Date): Promise<number> {
    const result = await this.traces.deleteMany({ expiresAt: { $lte: now } }).exec();
    return result.deletedCount;
  }
}

function tenantScope(tenantIds: readonly string[] | undefined): { tenantId?: { $in: string[] } } {
  return tenantIds ? { tenantId: { $in: [...tenantIds] } } : {};
}

function isObjectId(id: string): boolean {
  return id.length === 24 && Types.ObjectId.isValid(id);
}

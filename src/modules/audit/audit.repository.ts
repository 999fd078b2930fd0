import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';

import {
  AuditEvent,
  type AuditEventInput,
  type AuditEventRecord,
  decodeAuditEvent,
  encodeAuditEvent,
  type StoredAuditEvent,
} from './audit-event.schema';

export interface AuditQuery {
  actor?: string;
  /** Exact action, or a prefix when it ends with `.*` (e.g. `user.*`). */
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  outcome?: 'success' | 'failure';
  skip: number;
  limit: number;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The only code touching `audit_events` (append-only). */
@Injectable()
export class AuditRepository {
  constructor(@InjectModel(AuditEvent.name) private readonly model: Model<AuditEvent>) {}

  async insert(event: AuditEventInput): Promise<void> {
    await this.model.create(encodeAuditEvent(event));
  }

  async find(query: AuditQuery): Promise<{ items: AuditEventRecord[]; total: number }> {
    const filter: FilterQuery<AuditEvent> = {};
    if (query.actor) filter['actor.username'] = query.actor.toLowerCase();
    if (query.action) {
      filter.action = query.action.endsWith('.*')
        ? { $regex: `^${escapeRegex(query.action.slice(0, -1))}` }
        : query.action;
    }
    if (query.targetType) filter.targetType = query.targetType;
    if (query.targetId) filter.targetId = query.targetId;
    if (query.outcome) filter.outcome = query.outcome;
    if (query.from || query.to) {
      filter.at = {
        ...(query.from ? { $gte: query.from } : {}),
        ...(query.to ? { $lte: query.to } : {}),
      };
    }
    const [items, total] = await Promise.all([
      this.model
        .find(filter)
        .sort({ at: -1, _id: -1 })
        .skip(query.skip)
        .limit(query.limit)
        .lean<StoredAuditEvent[]>()
        .exec(),
      this.model.countDocuments(filter).exec(),
    ]);
    return { items: items.map(decodeAuditEvent), total };
  }
}

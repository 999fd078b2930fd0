import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Types } from 'mongoose';

import { getOrCreateCounter } from '../../system/metrics.registry';
import type { RoutingDecision } from '../router.interface';
import { compactTrace } from './compact-trace';
import { RoutingTraceRepository } from './routing-trace.repository';
import type { RoutingTraceRecord } from './routing-trace.schema';
import type { RoutingTraceSink } from './routing-trace.types';

export const TRACE_RETENTION_DAYS = 30;
const FLUSH_EVERY_MS = 1000;
const BATCH_SIZE = 200;
const MAX_QUEUE = 20_000;
const SWEEP_EVERY_MS = 10 * 60_000;

interface Pending {
  id: Types.ObjectId;
  tenantId: string | null;
  timestamp: Date;
  decision: RoutingDecision;
}

/**
 * Stores routing traces off the request path: `record` only pushes the decision onto a bounded
 * queue and returns the trace id; compaction (JSON, size bounds) and the insert happen on a timer.
 * A full queue drops the trace (counted in `prism_routing_traces_dropped_total`), never the request.
 */
@Injectable()
export class RoutingTraceWriter implements RoutingTraceSink, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RoutingTraceWriter.name);
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly dropped = getOrCreateCounter(
    'prism_routing_traces_dropped_total',
    'Routing traces dropped because the queue was full or the database failed',
    [],
  );

  constructor(private readonly repository: RoutingTraceRepository) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.sweeper) clearInterval(this.sweeper);
    await this.flush();
  }

  record(tenantId: string | null, decision: RoutingDecision): string | undefined {
    if (this.queue.length >= MAX_QUEUE) {
      this.dropped.inc();
      return undefined;
    }
    const id = new Types.ObjectId();
    this.queue.push({ id, tenantId, timestamp: new Date(), decision });
    if (this.queue.length >= BATCH_SIZE) void this.flush();
    return id.toHexString();
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Writes everything queued (one flush at a time). */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH_SIZE);
      try {
        await this.repository.insertMany(batch.map(toRecord));
      } catch (error) {
        // Traces are diagnostics: one failed batch is dropped rather than retried forever.
        this.dropped.inc(batch.length);
        this.logger.warn(`Dropped ${batch.length} routing traces: ${(error as Error).message}`);
      }
    }
  }

  private async sweep(): Promise<void> {
    try {
      await this.repository.deleteExpired(new Date());
    } catch (error) {
      this.logger.warn(`Routing trace retention sweep failed: ${(error as Error).message}`);
    }
  }
}

function toRecord(pending: Pending): RoutingTraceRecord {
  const trace = compactTrace(pending.decision);
  return {
    _id: pending.id,
    tenantId: pending.tenantId,
    timestamp: pending.timestamp,
    category: trace.category,
    tier: trace.tier,
    model: trace.model,
    data: JSON.stringify(trace),
    expiresAt: new Date(pending.timestamp.getTime() + TRACE_RETENTION_DAYS * 86_400_000),
  };
}

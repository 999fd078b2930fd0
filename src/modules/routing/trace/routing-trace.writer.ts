import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Types } from 'mongoose';

import { BoundedBatchWriter } from '../../../core/batching/bounded-batch-writer';
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
  private readonly batches = new BoundedBatchWriter<Pending>({
    what: 'routing traces',
    logger: this.logger,
    batchSize: BATCH_SIZE,
    flushIntervalMs: FLUSH_EVERY_MS,
    maxQueue: MAX_QUEUE,
    writeBatch: (batch) => this.repository.insertMany(batch.map(toRecord)),
    // Traces are diagnostics: one failed batch is dropped rather than retried forever.
    onBatchFailure: 'drop',
    sweep: { everyMs: SWEEP_EVERY_MS, run: () => this.repository.deleteExpired(new Date()) },
    metrics: {
      dropped: getOrCreateCounter(
        'prism_routing_traces_dropped_total',
        'Routing traces dropped because the queue was full or the database failed',
        [],
      ),
    },
  });

  constructor(private readonly repository: RoutingTraceRepository) {}

  onModuleInit(): void {
    this.batches.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.batches.close();
  }

  record(tenantId: string | null, decision: RoutingDecision): string | undefined {
    const id = new Types.ObjectId();
    if (!this.batches.enqueue({ id, tenantId, timestamp: new Date(), decision })) return undefined;
    return id.toHexString();
  }

  get queued(): number {
    return this.batches.queued;
  }

  /** Writes everything queued (one flush at a time). */
  flush(): Promise<void> {
    return this.batches.flush();
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

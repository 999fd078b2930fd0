import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import type { NodeRole } from '../../../core/config';
import type { MinuteBucket } from '../activity/minute-series';
import type { PodBreakerState, UpstreamActivity } from '../activity/pod-activity.service';

/** One pod's latest heartbeat (`pod_heartbeats`, one document per pod, replaced each beat). */
export interface PodHeartbeat {
  _id: string;
  role: NodeRole;
  version: string;
  host: string;
  pid: number;
  startedAt: Date;
  lastSeenAt: Date;
  /** Set by a graceful shutdown's last heartbeat. */
  stoppedAt: Date | null;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Process CPU time over wall time since the previous beat (100 = one core). */
  cpuPercent: number;
  eventLoopLagMs: number;
  eventLoopLagP99Ms: number;
  requestsPerMinute: number;
  errorsPerMinute: number;
  inFlight: number;
  analyticsQueueDepth: number;
  analyticsDropped: number;
  breakers: PodBreakerState[];
  upstreams: UpstreamActivity[];
  /** Gateway requests per minute, last 60 minutes (empty minutes omitted). */
  traffic: MinuteBucket[];
  heldJobs: string[];
}

const COLLECTION = 'pod_heartbeats';

/**
 * Heartbeats are replaced in place (one document per pod), and stale pods are deleted by a leased
 * job rather than a TTL index, which FerretDB lacks (DESIGN.md §8).
 */
@Injectable()
export class PodHeartbeatRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get collection() {
    return this.connection.collection<PodHeartbeat>(COLLECTION);
  }

  async write(heartbeat: PodHeartbeat): Promise<void> {
    await this.collection.replaceOne({ _id: heartbeat._id }, heartbeat, { upsert: true });
  }

  async list(): Promise<PodHeartbeat[]> {
    return this.collection.find({}).sort({ role: 1, startedAt: 1 }).toArray();
  }

  async get(id: string): Promise<PodHeartbeat | null> {
    return this.collection.findOne({ _id: id });
  }

  async delete(id: string): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: id })).deletedCount === 1;
  }

  /** Deletes pods not seen since `before`; returns how many. */
  async deleteNotSeenSince(before: Date): Promise<number> {
    return (await this.collection.deleteMany({ lastSeenAt: { $lt: before } })).deletedCount;
  }
}

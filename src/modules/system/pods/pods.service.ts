import { Injectable } from '@nestjs/common';

import { AppConfig } from '../../../core/config';
import { PodIdentity } from '../pod-identity';
import { type PodHeartbeat, PodHeartbeatRepository } from './pod-heartbeat.repository';

export type PodStatus = 'live' | 'stale' | 'stopped';

export interface PodView extends PodHeartbeat {
  status: PodStatus;
  /** True for the pod that answered this request. */
  self: boolean;
}

export class PodNotFound extends Error {
  constructor(id: string) {
    super(`No pod ${id}`);
    this.name = 'PodNotFound';
  }
}

export class PodIsLive extends Error {
  constructor(id: string) {
    super(`Pod ${id} is live; only stale or stopped pods can be forgotten`);
    this.name = 'PodIsLive';
  }
}

/** The cluster as the heartbeats describe it. */
@Injectable()
export class PodsService {
  constructor(
    private readonly config: AppConfig,
    private readonly pod: PodIdentity,
    private readonly repository: PodHeartbeatRepository,
  ) {}

  /** A pod that missed three heartbeats (90 s by default) is stale. */
  get staleAfterMs(): number {
    return 3 * this.config.heartbeatIntervalMs;
  }

  async list(now: Date = new Date()): Promise<PodView[]> {
    return (await this.repository.list()).map((heartbeat) => this.view(heartbeat, now));
  }

  /** Forgets a stale or stopped pod; a live one would only reappear with its next heartbeat. */
  async forget(id: string, now: Date = new Date()): Promise<void> {
    const heartbeat = await this.repository.get(id);
    if (!heartbeat) throw new PodNotFound(id);
    if (this.view(heartbeat, now).status === 'live') throw new PodIsLive(id);
    await this.repository.delete(id);
  }

  private view(heartbeat: PodHeartbeat, now: Date): PodView {
    const status: PodStatus = heartbeat.stoppedAt
      ? 'stopped'
      : now.getTime() - heartbeat.lastSeenAt.getTime() > this.staleAfterMs
        ? 'stale'
        : 'live';
    return { ...heartbeat, status, self: heartbeat._id === this.pod.id };
  }
}

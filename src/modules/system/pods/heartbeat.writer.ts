import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { register } from 'prom-client';

import { AppConfig } from '../../../core/config';
import { PodActivity } from '../activity/pod-activity.service';
import { LeasedJobsService } from '../jobs/leased-jobs.service';
import { PodIdentity } from '../pod-identity';
import { type PodHeartbeat, PodHeartbeatRepository } from './pod-heartbeat.repository';

const INTERVAL_NAME = 'pod-heartbeat';
/** Pods not seen for this long are forgotten by the cleanup job. */
export const FORGET_STALE_PODS_AFTER_MS = 60 * 60_000;

/**
 * Writes this pod's heartbeat at boot, every HEARTBEAT_INTERVAL_MS (30 s) and once more, marked
 * stopped, at graceful shutdown. Registers the leased job that forgets pods gone for an hour.
 */
@Injectable()
export class HeartbeatWriter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HeartbeatWriter.name);
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private lastCpu = process.cpuUsage();
  private lastCpuAt = Date.now();
  private writing: Promise<void> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly pod: PodIdentity,
    private readonly activity: PodActivity,
    private readonly repository: PodHeartbeatRepository,
    private readonly scheduler: SchedulerRegistry,
    private readonly jobs: LeasedJobsService,
  ) {
    jobs.register({
      name: 'system.forget-stale-pods',
      everyMs: 10 * 60_000,
      run: async () => {
        const removed = await this.repository.deleteNotSeenSince(
          new Date(Date.now() - FORGET_STALE_PODS_AFTER_MS),
        );
        if (removed > 0) this.logger.log(`Forgot ${removed} pod(s) gone for over an hour`);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.loopDelay.enable();
    const timer = setInterval(() => void this.beat(), this.config.heartbeatIntervalMs);
    timer.unref();
    this.scheduler.addInterval(INTERVAL_NAME, timer);
    await this.beat();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.writing;
    await this.beat(new Date());
    this.loopDelay.disable();
  }

  /** Writes one heartbeat now (never throws: a missed beat only makes the pod look stale). */
  beat(stoppedAt: Date | null = null): Promise<void> {
    const write = this.collect(stoppedAt)
      .then((heartbeat) => this.repository.write(heartbeat))
      .catch((error: Error) => this.logger.warn(`Heartbeat not written: ${error.message}`));
    this.writing = write;
    return write;
  }

  private async collect(stoppedAt: Date | null): Promise<PodHeartbeat> {
    const now = Date.now();
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage(this.lastCpu);
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / Math.max(1, now - this.lastCpuAt)) * 100;
    this.lastCpu = process.cpuUsage();
    this.lastCpuAt = now;
    const lag = {
      mean: Number.isFinite(this.loopDelay.mean) ? this.loopDelay.mean / 1e6 : 0,
      p99: this.loopDelay.count > 0 ? this.loopDelay.percentile(99) / 1e6 : 0,
    };
    this.loopDelay.reset();
    const lastMinute = this.activity.lastMinute(now);
    return {
      _id: this.pod.id,
      role: this.pod.role,
      version: this.pod.version,
      host: this.pod.host,
      pid: process.pid,
      startedAt: this.pod.startedAt,
      lastSeenAt: new Date(now),
      stoppedAt,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      cpuPercent: round(cpuPercent),
      eventLoopLagMs: round(lag.mean),
      eventLoopLagP99Ms: round(lag.p99),
      requestsPerMinute: lastMinute.requests,
      errorsPerMinute: lastMinute.errors,
      inFlight: this.activity.inFlight(),
      analyticsQueueDepth: await metricTotal('prism_analytics_queue_depth'),
      analyticsDropped: await metricTotal('prism_analytics_dropped_total'),
      breakers: this.activity.breakers(),
      upstreams: this.activity.upstreamActivity(),
      traffic: this.activity.trafficMinutes(),
      heldJobs: this.jobs.heldJobs(),
    };
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Sum of a Prometheus metric's values in this process (0 when the module that owns it is not
 * loaded): the analytics queue is read here without the system module depending on analytics.
 */
async function metricTotal(name: string): Promise<number> {
  const metric = register.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.reduce((sum, v) => sum + v.value, 0);
}

import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { PodIdentity } from '../pod-identity';
import { JobLeaseStore } from './job-lease.store';

/** A periodic job that exactly one pod of the cluster runs per period. */
export interface LeasedJob {
  /** Unique, stable name (the lease document's id), e.g. `analytics.request-log-retention`. */
  name: string;
  /** Period: at most one run (cluster-wide) starts within any `everyMs`. */
  everyMs: number;
  /** `stopping` aborts when the pod shuts down: a long run checks it between steps and returns. */
  run: (stopping: AbortSignal) => Promise<void>;
  /**
   * How long a holder keeps the job without renewing; after that another pod takes over.
   * Default three check intervals (a check runs every min(everyMs, 30 s)).
   */
  leaseMs?: number;
}

interface RegisteredJob extends Required<LeasedJob> {
  checkMs: number;
  running: Promise<void> | undefined;
  held: boolean;
}

const MAX_CHECK_MS = 30_000;
/** How long shutdown waits for running jobs (a Kubernetes pod has 30 s of grace in all). */
const SHUTDOWN_DRAIN_MS = 10_000;

/**
 * Scheduled jobs with a database lease, so that one pod runs each job however many pods run:
 *
 * ```ts
 * constructor(jobs: LeasedJobsService) {
 *   jobs.register({ name: 'analytics.request-log-retention', everyMs: 3_600_000, run: () => this.sweep() });
 * }
 * ```
 *
 * Register from a constructor or onModuleInit (registering later also works: the job starts at
 * once). Every pod checks each job every min(everyMs, 30 s) through @nestjs/schedule's registry:
 * it takes or renews the lease (`job_leases`, expiry in the filter, so no TTL index) and, if it is
 * the holder and the period is due, claims the run by moving `nextRunAt` on in the same atomic
 * update; only then does it call `run`. A pod that dies stops renewing; another pod takes the
 * lease once it expires and runs the next due period. A run that throws is logged and recorded in
 * the lease document (`lastError`); the next period runs normally. Runs of one job never overlap
 * on a pod.
 */
@Injectable()
export class LeasedJobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LeasedJobsService.name);
  private readonly jobs = new Map<string, RegisteredJob>();
  private started = false;
  private stopped = false;
  private readonly stopping = new AbortController();

  constructor(
    private readonly store: JobLeaseStore,
    private readonly scheduler: SchedulerRegistry,
    private readonly pod: PodIdentity,
  ) {}

  register(job: LeasedJob): void {
    if (this.jobs.has(job.name)) throw new Error(`Leased job ${job.name} is already registered`);
    if (!(job.everyMs > 0)) throw new Error(`Leased job ${job.name} needs a positive everyMs`);
    const checkMs = Math.min(job.everyMs, MAX_CHECK_MS, job.leaseMs ? job.leaseMs / 3 : Infinity);
    const registered: RegisteredJob = {
      ...job,
      leaseMs: job.leaseMs ?? 3 * checkMs,
      checkMs,
      running: undefined,
      held: false,
    };
    this.jobs.set(job.name, registered);
    if (this.started && !this.stopped) this.schedule(registered);
  }

  /** Names of the jobs this pod currently holds the lease of. */
  heldJobs(): string[] {
    return [...this.jobs.values()].filter((j) => j.held).map((j) => j.name);
  }

  onApplicationBootstrap(): void {
    this.started = true;
    for (const job of this.jobs.values()) this.schedule(job);
  }

  /**
   * Before, not on, shutdown: every `onApplicationShutdown` runs after all of these, and one of
   * them closes the database connection a running job and the lease release still need. A job
   * that outlasts the drain is left to fail on the closed connection; its lease expires.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    for (const job of this.jobs.values()) {
      const name = intervalName(job.name);
      if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
    }
    const running = [...this.jobs.values()].flatMap((j) => (j.running ? [j.running] : []));
    let drainTimer: NodeJS.Timeout | undefined;
    const drainLimit = new Promise<void>((resolve) => (drainTimer = setTimeout(resolve, SHUTDOWN_DRAIN_MS)));
    await Promise.race([Promise.allSettled(running), drainLimit]);
    clearTimeout(drainTimer);
    await Promise.allSettled(
      [...this.jobs.values()].filter((j) => j.held).map((j) => this.store.release(j.name, this.pod.id)),
    );
  }

  /** One check of one job (exposed for tests that drive time themselves). */
  async check(name: string): Promise<void> {
    const job = this.jobs.get(name);
    if (!job || this.stopped) return;
    try {
      const now = new Date();
      job.held = await this.store.acquire(job.name, this.pod.id, now, job.leaseMs);
      if (!job.held || job.running) return;
      if (!(await this.store.claimRun(job.name, this.pod.id, now, job.everyMs))) return;
      job.running = this.runOnce(job).finally(() => (job.running = undefined));
    } catch (error) {
      this.logger.warn(`Lease check of job ${job.name} failed: ${(error as Error).message}`);
    }
  }

  private schedule(job: RegisteredJob): void {
    const timer = setInterval(() => void this.check(job.name), job.checkMs);
    timer.unref();
    this.scheduler.addInterval(intervalName(job.name), timer);
    void this.check(job.name);
  }

  private async runOnce(job: RegisteredJob): Promise<void> {
    const started = Date.now();
    let failure: string | null = null;
    try {
      await job.run(this.stopping.signal);
    } catch (error) {
      failure = (error as Error).message ?? String(error);
      if (this.stopped) this.logger.warn(`Job ${job.name} stopped by shutdown: ${failure}`);
      else this.logger.error(`Job ${job.name} failed: ${failure}`);
    }
    await this.store.finish(job.name, Date.now() - started, failure).catch(() => undefined);
  }
}

function intervalName(job: string): string {
  return `leased-job:${job}`;
}

import cluster, { type Worker } from 'node:cluster';

/** Restarts of crashed workers allowed per minute before the primary gives up (crash loop). */
const MAX_RESTARTS_PER_MINUTE = 10;

export interface WorkerLogger {
  info(message: string): void;
  error(message: string): void;
}

/**
 * `WORKERS=N` (N > 1): this process becomes a node:cluster primary that forks N copies of itself,
 * which share the listening port (the primary hands out connections round-robin). Each worker is a
 * full server with its own pod identity (heartbeat), analytics writer and caches; limits and
 * breakers are shared through Redis when REDIS_URL is set, per process otherwise. The primary
 * restarts a worker that crashes and, on SIGTERM/SIGINT, passes the signal on and waits for every
 * worker to drain (each one finishes its streams and flushes analytics) before it exits.
 */
export function runPrimary(count: number, env: NodeJS.ProcessEnv, logger: WorkerLogger): void {
  let stopping = false;
  const restarts: number[] = [];
  const fork = (): Worker => cluster.fork(env);
  for (let i = 0; i < count; i++) fork();
  logger.info(`started ${count} worker processes`);

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && now - (restarts[0] as number) > 60_000) restarts.shift();
    logger.error(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      logger.error('workers keep crashing: stopping');
      process.exit(1);
    }
    fork();
  });

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(0);
    for (const worker of workers) worker.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

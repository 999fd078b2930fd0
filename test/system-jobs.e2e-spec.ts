import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Connection } from 'mongoose';

import { JobLeaseStore } from '../src/modules/system/jobs/job-lease.store';
import { LeasedJobsService } from '../src/modules/system/jobs/leased-jobs.service';
import { PodIdentity } from '../src/modules/system/pod-identity';
import { startTestApp } from './support/app';

const EVERY_MS = 400;
const LEASE_MS = 450;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (up to timeoutMs; the machine may be busy) until accept() holds. */
async function waitFor(accept: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!accept() && Date.now() < deadline) await sleep(25);
}

interface Run {
  pod: string;
  at: number;
}

/** Registers the same job on a pod, recording which pod ran it when. */
function registerJob(app: NestFastifyApplication, name: string, runs: Run[]): void {
  const pod = app.get(PodIdentity).id;
  app.get(LeasedJobsService).register({
    name,
    everyMs: EVERY_MS,
    leaseMs: LEASE_MS,
    run: async () => void runs.push({ pod, at: Date.now() }),
  });
}

describe('leased scheduled jobs across two app instances', () => {
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;

  // Booted once: the takeover test, which stops `a`, runs last.
  beforeAll(async () => {
    a = await startTestApp({ NODE_ROLE: 'worker' });
    b = await startTestApp({ NODE_ROLE: 'worker' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('runs the job once per period however many pods run it', async () => {
    const runs: Run[] = [];
    const started = Date.now();
    registerJob(a, 'test.once-per-period', runs);
    registerJob(b, 'test.once-per-period', runs);

    await sleep(EVERY_MS * 5 + 150);
    // Runs go on while the lease is read: count them on both sides of that read.
    const runsBeforeRead = runs.length;
    const lease = (await a.get(JobLeaseStore).list()).find((l) => l._id === 'test.once-per-period');
    const runsAfterRead = runs.length;
    const elapsed = Date.now() - started;

    // One holder runs every period; the other never does while the holder lives. Two pods each
    // running their own schedule would give about twice the runs.
    expect(new Set(runs.map((r) => r.pod)).size).toBe(1);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(Math.floor(elapsed / EVERY_MS) + 1);
    // The database counted the same runs (one may have been claimed but not started yet).
    expect(lease?.runs).toBeGreaterThanOrEqual(runsBeforeRead);
    expect(lease?.runs).toBeLessThanOrEqual(runsAfterRead + 1);
  });

  it('records a failing run and keeps running the next periods', async () => {
    let calls = 0;
    a.get(LeasedJobsService).register({
      name: 'test.failing',
      everyMs: EVERY_MS,
      leaseMs: LEASE_MS,
      run: async () => {
        calls += 1;
        throw new Error('sweep failed');
      },
    });
    await waitFor(() => calls >= 2);
    expect(calls).toBeGreaterThanOrEqual(2);
    const connection = a.get<Connection>(getConnectionToken());
    const readLease = () => connection.collection('job_leases').findOne({ _id: 'test.failing' as never });
    let lease = await readLease();
    // The failure is recorded just after the run returns.
    for (let i = 0; i < 100 && !lease?.lastError; i++) {
      await sleep(50);
      lease = await readLease();
    }
    expect(lease?.lastError).toBe('sweep failed');
  });

  it('on shutdown, stops a running job through its signal while the database is still open, and gives the lease back', async () => {
    const c = await startTestApp({ NODE_ROLE: 'worker' });
    const connection = c.get<Connection>(getConnectionToken());
    let started = false;
    let finishedWrite = false;
    c.get(LeasedJobsService).register({
      name: 'test.long-run',
      everyMs: 60_000,
      run: async (stopping) => {
        started = true;
        while (!stopping.aborted) await sleep(20);
        // The run's last step still reaches the database: the connection closes after the drain.
        await connection.collection('job_test_marks').insertOne({ job: 'test.long-run', at: new Date() });
        finishedWrite = true;
      },
    });
    await waitFor(() => started);
    expect(started).toBe(true);
    await c.close();
    expect(finishedWrite).toBe(true);

    const lease = await a
      .get<Connection>(getConnectionToken())
      .collection('job_leases')
      .findOne({ _id: 'test.long-run' as never });
    expect(lease?.holder).toBeNull();
    expect(lease?.lastError ?? null).toBeNull();
  });

  it('another pod takes over when the holder dies without releasing its lease', async () => {
    const runs: Run[] = [];
    registerJob(a, 'test.takeover', runs);
    await sleep(100); // a takes the lease first
    registerJob(b, 'test.takeover', runs);
    await waitFor(() => runs.length >= 2);
    const podA = a.get(PodIdentity).id;
    const podB = b.get(PodIdentity).id;
    expect(runs.every((r) => r.pod === podA)).toBe(true);
    expect(runs.length).toBeGreaterThanOrEqual(2);

    // A crash: the process stops without giving the lease back.
    jest.spyOn(a.get(JobLeaseStore), 'release').mockResolvedValue(undefined);
    const diedAt = Date.now();
    await a.close();
    const before = runs.length;

    await waitFor(() => runs.length > before);
    const after = runs.slice(before);
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.every((r) => r.pod === podB)).toBe(true);
    // Not before the dead holder's lease expired.
    expect(after[0]!.at - diedAt).toBeGreaterThanOrEqual(LEASE_MS - 200);
  });
});

import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

const COLLECTION = 'job_leases';
const DUPLICATE_KEY = 11000;

/** One document per job: who holds it until when, when it may run next, how the last run went. */
export interface JobLeaseDocument {
  _id: string;
  holder: string | null;
  leaseUntil: Date;
  nextRunAt: Date;
  runs?: number;
  lastRunBy?: string;
  lastStartedAt?: Date;
  lastFinishedAt?: Date;
  lastDurationMs?: number;
  lastError?: string | null;
}

/**
 * The lease documents behind LeasedJobsService. Every method is one atomic single-document
 * update whose filter carries the condition (holder or expired lease, due run), so two pods can
 * race freely without transactions and exactly one wins (works on FerretDB, no TTL index needed).
 */
@Injectable()
export class JobLeaseStore {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get collection() {
    return this.connection.collection<JobLeaseDocument>(COLLECTION);
  }

  /** Takes the lease if it is free, expired or already ours, and extends it; true when we hold it. */
  async acquire(job: string, holder: string, now: Date, leaseMs: number): Promise<boolean> {
    try {
      const doc = await this.collection.findOneAndUpdate(
        { _id: job, $or: [{ holder }, { leaseUntil: { $lt: now } }] },
        {
          $set: { holder, leaseUntil: new Date(now.getTime() + leaseMs) },
          $setOnInsert: { nextRunAt: now },
        },
        { upsert: true, returnDocument: 'after' },
      );
      return doc?.holder === holder;
    } catch (error) {
      // The upsert lost against an existing document held by someone else.
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /** Claims the due run of this period (moves `nextRunAt` on); true when this call won it. */
  async claimRun(job: string, holder: string, now: Date, everyMs: number): Promise<boolean> {
    const doc = await this.collection.findOneAndUpdate(
      { _id: job, holder, leaseUntil: { $gte: now }, nextRunAt: { $lte: now } },
      {
        $set: { nextRunAt: new Date(now.getTime() + everyMs), lastStartedAt: now, lastRunBy: holder },
        $inc: { runs: 1 },
      },
      { returnDocument: 'after' },
    );
    return doc !== null;
  }

  async finish(job: string, durationMs: number, error: string | null): Promise<void> {
    await this.collection.updateOne(
      { _id: job },
      { $set: { lastFinishedAt: new Date(), lastDurationMs: durationMs, lastError: error } },
    );
  }

  /** Gives the lease up (graceful shutdown) so another pod takes over at its next check. */
  async release(job: string, holder: string): Promise<void> {
    await this.collection.updateOne(
      { _id: job, holder },
      { $set: { holder: null, leaseUntil: new Date(0) } },
    );
  }

  async list(): Promise<JobLeaseDocument[]> {
    return this.collection.find({}).sort({ _id: 1 }).toArray();
  }
}

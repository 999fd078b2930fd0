import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';

import {
  RoutingSuite,
  RoutingSuiteRun,
  type RoutingRunEvaluation,
  type RoutingTestCase,
} from './routing-suite.schema';

export type SuiteRecord = RoutingSuite;
export type RunRecord = RoutingSuiteRun;

const isObjectId = (id: string): boolean => id.length === 24 && Types.ObjectId.isValid(id);

/** The only code touching `routing_suites` and `routing_suite_runs`. */
@Injectable()
export class RoutingSuitesRepository {
  constructor(
    @InjectModel(RoutingSuite.name) private readonly suites: Model<RoutingSuite>,
    @InjectModel(RoutingSuiteRun.name) private readonly runs: Model<RoutingSuiteRun>,
  ) {}

  list(): Promise<SuiteRecord[]> {
    return this.suites.find().sort({ name: 1 }).lean<SuiteRecord[]>().exec();
  }

  find(id: string): Promise<SuiteRecord | null> {
    if (!isObjectId(id)) return Promise.resolve(null);
    return this.suites.findById(id).lean<SuiteRecord>().exec();
  }

  async create(
    data: Pick<RoutingSuite, 'name' | 'description' | 'tenantId' | 'cases'>,
  ): Promise<SuiteRecord> {
    const created = await this.suites.create(data);
    return created.toObject<SuiteRecord>();
  }

  update(
    id: string,
    changes: Partial<Pick<RoutingSuite, 'name' | 'description' | 'tenantId' | 'cases'>>,
  ): Promise<SuiteRecord | null> {
    if (!isObjectId(id)) return Promise.resolve(null);
    return this.suites.findByIdAndUpdate(id, { $set: changes }, { new: true }).lean<SuiteRecord>().exec();
  }

  /** Appends cases atomically (generation). */
  appendCases(id: string, cases: readonly RoutingTestCase[]): Promise<SuiteRecord | null> {
    return this.suites
      .findByIdAndUpdate(id, { $push: { cases: { $each: cases } } }, { new: true })
      .lean<SuiteRecord>()
      .exec();
  }

  async delete(id: string): Promise<boolean> {
    if (!isObjectId(id)) return false;
    const result = await this.suites.deleteOne({ _id: new Types.ObjectId(id) }).exec();
    if (result.deletedCount > 0) await this.runs.deleteMany({ suiteId: id }).exec();
    return result.deletedCount > 0;
  }

  async createRun(run: Omit<RoutingSuiteRun, '_id'>): Promise<RunRecord> {
    const created = await this.runs.create(run);
    return created.toObject<RunRecord>();
  }

  listRuns(suiteId: string, limit: number): Promise<RunRecord[]> {
    return this.runs
      .find({ suiteId })
      .sort({ createdAt: -1 })
      .limit(limit)
      .select({ results: 0 })
      .lean<RunRecord[]>()
      .exec();
  }

  findRun(id: string): Promise<RunRecord | null> {
    if (!isObjectId(id)) return Promise.resolve(null);
    return this.runs.findById(id).lean<RunRecord>().exec();
  }

  setEvaluation(id: string, evaluation: RoutingRunEvaluation): Promise<RunRecord | null> {
    return this.runs.findByIdAndUpdate(id, { $set: { evaluation } }, { new: true }).lean<RunRecord>().exec();
  }
}

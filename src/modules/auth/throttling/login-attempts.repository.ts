import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';

import { LoginAttempt, type LoginAttemptRecord } from './login-attempt.schema';

/** The only file touching `login_attempts`; every write is one atomic single-document update. */
@Injectable()
export class LoginAttemptsRepository {
  constructor(@InjectModel(LoginAttempt.name) private readonly model: Model<LoginAttempt>) {}

  find(keys: string[]): Promise<LoginAttemptRecord[]> {
    return this.model
      .find({ _id: { $in: keys } })
      .lean<LoginAttemptRecord[]>()
      .exec();
  }

  /** Counts one failure; a row whose window started before `windowStart` starts again at 1. */
  async addFailure(key: string, now: Date, windowStart: Date): Promise<LoginAttemptRecord> {
    const counted = await this.model
      .findOneAndUpdate(
        { _id: key, firstFailureAt: { $gte: windowStart } },
        { $inc: { failures: 1 } },
        { new: true },
      )
      .lean<LoginAttemptRecord>()
      .exec();
    if (counted) return counted;
    const restarted = await this.model
      .findOneAndUpdate(
        { _id: key },
        { $set: { failures: 1, firstFailureAt: now, lockedUntil: null } },
        { new: true, upsert: true },
      )
      .lean<LoginAttemptRecord>()
      .exec();
    return restarted;
  }

  async lock(key: string, until: Date): Promise<void> {
    await this.model.updateOne({ _id: key }, { $set: { lockedUntil: until } }).exec();
  }

  /** True when a row existed (and was locked, when `onlyLocked`). */
  async delete(key: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: key }).exec();
    return result.deletedCount > 0;
  }
}

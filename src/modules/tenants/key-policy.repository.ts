import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

export interface KeyPolicy {
  /** Upper bound for any key's lifetime in days; 0 = no maximum. */
  maxLifetimeDays: number;
}

interface KeyPolicyDocument extends KeyPolicy {
  _id: string;
  updatedAt: Date;
}

const DEFAULT_POLICY: KeyPolicy = { maxLifetimeDays: 0 };

/** The global key policy: one document in `settings` (`_id: 'key-policy'`). */
@Injectable()
export class KeyPolicyRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get collection() {
    return this.connection.collection<KeyPolicyDocument>('settings');
  }

  async get(): Promise<KeyPolicy> {
    const doc = await this.collection.findOne({ _id: 'key-policy' });
    return { maxLifetimeDays: doc?.maxLifetimeDays ?? DEFAULT_POLICY.maxLifetimeDays };
  }

  async set(policy: KeyPolicy): Promise<KeyPolicy> {
    await this.collection.updateOne(
      { _id: 'key-policy' },
      { $set: { maxLifetimeDays: policy.maxLifetimeDays, updatedAt: new Date() } },
      { upsert: true },
    );
    return policy;
  }
}

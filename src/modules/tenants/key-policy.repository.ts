import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import { SettingsDocument } from '../../core/database/settings-document';

export interface KeyPolicy {
  /** Upper bound for any key's lifetime in days; 0 = no maximum. */
  maxLifetimeDays: number;
}

/** The global key policy: one settings document in `settings` (`_id: 'key-policy'`). */
@Injectable()
export class KeyPolicyRepository {
  private readonly document: SettingsDocument<KeyPolicy>;

  constructor(@InjectConnection() connection: Connection) {
    this.document = new SettingsDocument(connection, {
      collection: 'settings',
      id: 'key-policy',
      defaults: () => ({ maxLifetimeDays: 0 }),
    });
  }

  async get(): Promise<KeyPolicy> {
    return { maxLifetimeDays: await this.document.readField('maxLifetimeDays') };
  }

  async set(policy: KeyPolicy): Promise<KeyPolicy> {
    await this.document.write({ maxLifetimeDays: policy.maxLifetimeDays });
    return policy;
  }
}

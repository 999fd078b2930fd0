import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import type { RuntimeSettingKey } from '../../../core/config';

const COLLECTION = 'system_settings';
const DOC_ID = 'runtime';

/** What admins saved; keys absent from `values` follow the environment. */
export interface StoredRuntimeSettings {
  values: Partial<Record<RuntimeSettingKey, unknown>>;
  updatedAt: Date | null;
  updatedBy: string | null;
}

interface RuntimeSettingsDocument {
  _id: string;
  values?: Partial<Record<RuntimeSettingKey, unknown>>;
  updatedAt?: Date;
  updatedBy?: string | null;
}

/** One document `{_id:'runtime', values:{...}}` in `system_settings`; writes are single-document. */
@Injectable()
export class RuntimeSettingsRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get collection() {
    return this.connection.collection<RuntimeSettingsDocument>(COLLECTION);
  }

  async read(): Promise<StoredRuntimeSettings> {
    const doc = await this.collection.findOne({ _id: DOC_ID });
    return {
      values: { ...(doc?.values ?? {}) },
      updatedAt: doc?.updatedAt ?? null,
      updatedBy: doc?.updatedBy ?? null,
    };
  }

  /** Sets the given keys and removes the `reset` ones (back to the environment value), atomically. */
  async write(
    set: Partial<Record<RuntimeSettingKey, unknown>>,
    reset: readonly RuntimeSettingKey[],
    updatedBy: string | null,
  ): Promise<StoredRuntimeSettings> {
    const $set: Record<string, unknown> = { updatedAt: new Date(), updatedBy };
    for (const [key, value] of Object.entries(set)) $set[`values.${key}`] = value;
    const $unset: Record<string, ''> = {};
    for (const key of reset) $unset[`values.${key}`] = '';
    await this.collection.updateOne(
      { _id: DOC_ID },
      Object.keys($unset).length > 0 ? { $set, $unset } : { $set },
      { upsert: true },
    );
    return this.read();
  }
}

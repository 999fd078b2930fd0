import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import type { RuntimeSettingKey } from '../../../core/config';
import { SettingsDocument } from '../../../core/database/settings-document';

/** What admins saved; keys absent from `values` follow the environment. */
export interface StoredRuntimeSettings {
  values: Partial<Record<RuntimeSettingKey, unknown>>;
  updatedAt: Date | null;
  updatedBy: string | null;
}

interface RuntimeSettingsFields {
  values: Partial<Record<RuntimeSettingKey, unknown>>;
  updatedBy: string | null;
}

/** One document `{_id:'runtime', values:{...}}` in `system_settings`; writes are single-document. */
@Injectable()
export class RuntimeSettingsRepository extends SettingsDocument<RuntimeSettingsFields> {
  constructor(@InjectConnection() connection: Connection) {
    super(connection, {
      collection: 'system_settings',
      id: 'runtime',
      defaults: () => ({ values: {}, updatedBy: null }),
    });
  }

  /** The saved overrides with who saved them last (nulls until the first save). */
  async readStored(): Promise<StoredRuntimeSettings> {
    const stored = await this.read();
    return { values: { ...stored.values }, updatedAt: stored.updatedAt ?? null, updatedBy: stored.updatedBy };
  }

  /** Sets the given keys and removes the `reset` ones (back to the environment value), atomically. */
  async update(
    set: Partial<Record<RuntimeSettingKey, unknown>>,
    reset: readonly RuntimeSettingKey[],
    updatedBy: string | null,
  ): Promise<StoredRuntimeSettings> {
    const paths: Record<string, unknown> = { updatedBy };
    for (const [key, value] of Object.entries(set)) paths[`values.${key}`] = value;
    await this.patch(
      paths,
      reset.map((key) => `values.${key}`),
    );
    return this.readStored();
  }
}

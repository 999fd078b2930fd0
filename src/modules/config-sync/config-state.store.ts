import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

/** Version counter per config scope (`tenants`, `providers`, ...); bumped on every change. */
export type ScopeVersions = Record<string, number>;

/** What a change stream looks like to the bus (the driver's ChangeStream satisfies it). */
export interface ChangeStreamLike {
  on(event: 'change', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

/** Persistence behind ConfigChangeBus; a fake replaces it in unit tests. */
export abstract class ConfigStateStore {
  abstract read(): Promise<ScopeVersions>;
  abstract bump(scopes: readonly string[]): Promise<ScopeVersions>;
  /** True when the server can open change streams (MongoDB replica set or sharded cluster). */
  abstract supportsChangeStreams(): Promise<boolean>;
  abstract watch(): ChangeStreamLike;
}

const COLLECTION = 'config_state';
const DOC_ID = 'config';

interface ConfigStateDocument {
  _id: string;
  versions?: ScopeVersions;
  updatedAt?: Date;
}

/**
 * One document `{_id:'config', versions:{scope:n}}` in `config_state`. A bump is a single atomic
 * `$inc` upsert, so every pod agrees on the order of changes without transactions (DESIGN.md §8).
 */
@Injectable()
export class MongoConfigStateStore extends ConfigStateStore {
  constructor(@InjectConnection() private readonly connection: Connection) {
    super();
  }

  private get collection() {
    return this.connection.collection<ConfigStateDocument>(COLLECTION);
  }

  async read(): Promise<ScopeVersions> {
    const doc = await this.collection.findOne({ _id: DOC_ID });
    return { ...(doc?.versions ?? {}) };
  }

  async bump(scopes: readonly string[]): Promise<ScopeVersions> {
    const inc: Record<string, number> = {};
    for (const scope of scopes) inc[`versions.${scope}`] = 1;
    const doc = await this.collection.findOneAndUpdate(
      { _id: DOC_ID },
      { $inc: inc, $set: { updatedAt: new Date() } },
      { upsert: true, returnDocument: 'after' },
    );
    return { ...(doc?.versions ?? {}) };
  }

  async supportsChangeStreams(): Promise<boolean> {
    const db = this.connection.db;
    if (!db) return false;
    try {
      const hello = await db.admin().command({ hello: 1 });
      return typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
    } catch {
      return false;
    }
  }

  watch(): ChangeStreamLike {
    return this.collection.watch([{ $match: { 'documentKey._id': DOC_ID } }]);
  }
}

import type { Collection, Connection } from 'mongoose';

/** Where one settings document lives and what it reads as before anything is stored. */
export interface SettingsDocumentSpec<T extends object> {
  collection: string;
  /** The fixed `_id` of the document (`ldap`, `key-policy`, ...). */
  id: string;
  /** A fresh copy of the defaults; stored fields override them one by one. */
  defaults(): T;
}

/** Kept by every settings document: when it was last written (absent until then). */
export interface SettingsMeta {
  updatedAt?: Date;
}

type StoredDocument = Record<string, unknown> & { _id: string };

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * The one way to keep a single-document setting (LDAP settings, key policy, setup markers, the
 * routing seed marker, runtime settings): a document with a fixed `_id`, read merged over its
 * defaults so a field added by a later release reads as its default, written with `$set` upserts
 * (no transactions, same on MongoDB and FerretDB). Feature repositories extend it (or hold one),
 * so services never see the collection.
 */
export class SettingsDocument<T extends object> {
  constructor(
    private readonly connection: Connection,
    protected readonly spec: SettingsDocumentSpec<T>,
  ) {}

  get id(): string {
    return this.spec.id;
  }

  private get collection(): Collection<StoredDocument> {
    return this.connection.collection<StoredDocument>(this.spec.collection);
  }

  /** The defaults overlaid with every stored field (`_id` left out). */
  async read(): Promise<T & SettingsMeta> {
    const stored = await this.collection.findOne({ _id: this.spec.id });
    if (!stored) return this.spec.defaults();
    const { _id, ...fields } = stored;
    return { ...this.spec.defaults(), ...fields };
  }

  /** One field (a projected read), or its default. */
  async readField<K extends keyof T & string>(field: K): Promise<T[K]> {
    const stored = await this.collection.findOne({ _id: this.spec.id }, { projection: { [field]: 1 } });
    const value = stored?.[field];
    return value === undefined ? this.spec.defaults()[field] : (value as T[K]);
  }

  async exists(): Promise<boolean> {
    return (await this.collection.countDocuments({ _id: this.spec.id }, { limit: 1 })) > 0;
  }

  /** Sets the given fields (creating the document if needed) and stamps `updatedAt`. */
  write(fields: Partial<T>): Promise<void> {
    return this.upsert({ $set: { ...(fields as Record<string, unknown>), updatedAt: new Date() } });
  }

  /**
   * Sets and removes fields by dotted path in one atomic update (creating the document if needed)
   * and stamps `updatedAt`: for settings kept as a map of overrides, where removing an entry means
   * "back to the default".
   */
  patch(set: Record<string, unknown>, unset: readonly string[] = []): Promise<void> {
    const update: Record<string, Record<string, unknown>> = { $set: { ...set, updatedAt: new Date() } };
    if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((path) => [path, '']));
    return this.upsert(update);
  }

  /** Sets the given fields only if the document does not exist yet; later calls change nothing. */
  writeOnce(fields: Partial<T>): Promise<void> {
    return this.upsert({ $setOnInsert: { ...(fields as Record<string, unknown>), updatedAt: new Date() } });
  }

  /**
   * Inserts the document; false when it already exists. The unique `_id` makes this a lock that
   * exactly one of several concurrent callers (pods) wins.
   */
  async claim(fields: Partial<T>): Promise<boolean> {
    try {
      await this.collection.insertOne({
        ...(fields as Record<string, unknown>),
        _id: this.spec.id,
        updatedAt: new Date(),
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /**
   * Two pods upserting a missing document at once: one insert loses on the unique `_id` (FerretDB
   * does not retry it as MongoDB does); the document exists by then, so the retry is an update.
   */
  private async upsert(update: Record<string, Record<string, unknown>>): Promise<void> {
    try {
      await this.collection.updateOne({ _id: this.spec.id }, update, { upsert: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.collection.updateOne({ _id: this.spec.id }, update, { upsert: true });
    }
  }

  async remove(): Promise<void> {
    await this.collection.deleteOne({ _id: this.spec.id });
  }
}

import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import {
  type ChunkDocument,
  CHUNK_ROWS,
  chunkIds,
  DAY_MS,
  type DayDirectory,
  dayCollection,
  dayOfCollection,
  dayStart,
  DIRECTORY_ID,
  distinctRows,
  filterQuery,
  filterTokenGroups,
  hashTokenGroups,
  HOUR_MS,
  type HourEntry,
  hourEntry,
  hourKey,
  hourMayMatch,
  matchesFilter,
  newestFirst,
  packStoredRows,
  RECENT_COLLECTION,
  type RequestLogFilter,
  type StoredRow,
  storedNewestFirst,
  storedRow,
  unpackRows,
  unpackStoredRows,
} from './request-log.chunks';
import {
  emptyIndex,
  indexable,
  type IndexDirectory,
  indexDocsToRead,
  indexPlan,
  INDEX_ID,
  levelAbove,
  indexCollectionName,
  indexCollectionNames,
  packIndex,
  type StoredIndexedRow,
  unpackIndex,
  unpackIndexRows,
  updateStoredIndex,
} from './request-log.index';
import type { RequestLogRecord } from './request-log.schema';

/** A document of the day index: rows (list columns), and a level's threshold (`levelAbove`). */
interface IndexDocument extends ChunkDocument {
  a?: number;
}

/** An hour's chunks as a compaction last read or wrote them: each part's id and version, and its rows. */
interface HourChunks {
  parts: { _id: string; v: string }[];
  rows: StoredRow[][];
}

/** Position after the last row of a page: rows are ordered by (timestamp, _id), newest first. */
export interface RequestLogCursor {
  timestamp: Date;
  id: string;
}

/** Directories of days before yesterday change only with very late rows: reused this long. */
const DIRECTORY_CACHE_MS = 60_000;
const DAY_LIST_CACHE_MS = 30_000;

/** A compaction found a chunk or directory rewritten by someone else (two writers at once): retry later. */
export class ChunkConflictError extends Error {}

/**
 * Recent rows read per reply batch (a few MB) and deleted per command after a compaction round:
 * FerretDB decodes the whole collection for every `$in` delete, so fewer, larger ones (a 5,000-id
 * command is ~100 KB; measured at 5,000 rows: 190 µs of FerretDB CPU a row against 440 in 1,000s).
 */
const RECENT_BATCH = 5000;
const DELETE_IDS = 5000;

/** Directory updates retried this often against other writers before giving up (until the next run). */
const PUBLISH_ATTEMPTS = 5;

/**
 * The request log's storage (request-log.chunks.ts): the recent rows, the per-day directories
 * and hour chunks. Reads walk the hours of a range newest (or oldest) first, skipping hours whose
 * summary cannot match, and read each chunk by its `_id` alone (FerretDB evaluates that in
 * SQLite; any other query decodes the whole collection). Readers read the recent rows before
 * the chunks, and compactions write chunks (then the directory) before deleting recent rows, so a
 * row being compacted is seen at least once (twice is deduplicated), never missed.
 */
@Injectable()
export class RequestLogStore {
  private readonly directories = new Map<number, { at: number; dir: DayDirectory | null }>();
  private readonly indexes = new Map<number, { at: number; index: IndexDirectory | null }>();
  private dayList: { at: number; days: number[] } | undefined;

  constructor(@InjectConnection() private readonly connection: Connection) {}

  private recent() {
    return this.connection.collection<RequestLogRecord>(RECENT_COLLECTION);
  }

  private day(day: number) {
    return this.connection.collection<ChunkDocument | DayDirectory>(dayCollection(day));
  }

  /**
   * The rows of the filter in page order, one hour at a time (each hour's rows sorted), after
   * `cursor` when given. `ascending` walks oldest first instead (exports).
   */
  async *hours(
    filter: RequestLogFilter,
    options: { cursor?: RequestLogCursor; ascending?: boolean; listColumns?: boolean } = {},
  ): AsyncGenerator<RequestLogRecord[]> {
    if (filter.tenantIds && filter.tenantIds.length === 0) return;
    const { cursor, ascending = false } = options;
    // The day index holds the list's columns only: used when that is all the caller needs.
    const useIndex = options.listColumns === true && indexable(filter);
    const to = cursor ? Math.min(filter.to.getTime(), cursor.timestamp.getTime() + 1) : filter.to.getTime();
    const from = filter.from.getTime();
    if (to <= from) return;
    // Recent rows first (see the class comment).
    const recent = await this.recent()
      .find(filterQuery({ ...filter, from: new Date(from), to: new Date(to) }))
      .toArray();
    const recentByHour = new Map<number, RequestLogRecord[]>();
    for (const row of recent) {
      const hour = Math.floor(row.timestamp.getTime() / HOUR_MS) * HOUR_MS;
      recentByHour.set(hour, [...(recentByHour.get(hour) ?? []), row]);
    }
    const groups = hashTokenGroups(filterTokenGroups(filter));
    // Today and yesterday are always looked at: a pod's cached day list may predate the day's
    // collection (made by the first compaction after midnight, possibly on another pod).
    const today = dayStart(Date.now());
    const days = new Set(
      [...(await this.days()), today - DAY_MS, today].filter((d) => d + DAY_MS > from && d < to),
    );
    for (const hour of recentByHour.keys()) days.add(dayStart(hour));
    const order = [...days].sort((a, b) => (ascending ? a - b : b - a));
    const after = cursor ? afterCursor(cursor) : () => true;
    for (const day of order) {
      if (useIndex) {
        const rows = await this.indexedRows(day, filter);
        if (rows) {
          const recentOfDay = [...recentByHour]
            .filter(([hour]) => dayStart(hour) === day)
            .flatMap(([, list]) => list);
          const matching = distinctRows([...recentOfDay, ...rows])
            .filter((row) => matchesFilter(row, filter) && after(row))
            .sort(newestFirst);
          if (ascending) matching.reverse();
          if (matching.length > 0) yield matching;
          continue;
        }
      }
      const dir = await this.directory(day);
      const hourStarts = new Set<number>();
      for (const key of Object.keys(dir?.h ?? {})) hourStarts.add(day + Number(key) * HOUR_MS);
      for (const hour of recentByHour.keys()) if (dayStart(hour) === day) hourStarts.add(hour);
      const hoursOfDay = [...hourStarts]
        .filter((h) => h + HOUR_MS > from && h < to)
        .sort((a, b) => (ascending ? a - b : b - a));
      for (const hour of hoursOfDay) {
        const entry = dir?.h[hourKey(hour)];
        let rows = recentByHour.get(hour) ?? [];
        if (entry && entry.n > 0 && hourMayMatch(entry, filter, groups)) {
          rows = distinctRows([...rows, ...(await this.chunkRows(day, hourKey(hour), entry.parts))]);
        }
        const matching = rows.filter((row) => matchesFilter(row, filter) && after(row)).sort(newestFirst);
        if (ascending) matching.reverse();
        if (matching.length > 0) yield matching;
      }
    }
  }

  /**
   * The rows of the filter in a day from its index (request-log.index.ts), or undefined when the
   * day has no index, the index cannot answer the filter, or a document it names is gone (a value
   * turned dense meanwhile): then the caller reads the day's hours.
   */
  private async indexedRows(day: number, filter: RequestLogFilter): Promise<RequestLogRecord[] | undefined> {
    const index = await this.index(day);
    if (!index) return undefined;
    const ids = indexPlan(index, filter);
    if (!ids) return undefined;
    const docs = await Promise.all(
      ids.map((id) => this.indexDoc(day, id).findOne({ _id: id }) as Promise<IndexDocument | null>),
    );
    const current = (doc: IndexDocument | null): doc is IndexDocument =>
      doc !== null && doc.a === levelAbove(index, doc._id);
    if (!docs.every(current)) return undefined;
    return docs.flatMap((doc) => unpackIndexRows(doc.z)) as RequestLogRecord[];
  }

  /** The index directory of a day (null: none, the day is read hour by hour); cached like `directory`. */
  async index(day: number, fresh = false): Promise<IndexDirectory | null> {
    const now = Date.now();
    const settled = day < dayStart(now) - DAY_MS;
    const cached = this.indexes.get(day);
    if (!fresh && settled && cached && now - cached.at < DIRECTORY_CACHE_MS) return cached.index;
    const doc = await this.indexDoc(day, INDEX_ID).findOne({ _id: INDEX_ID });
    const index = doc ? unpackIndex(doc.z) : null;
    this.indexes.set(day, { at: now, index });
    return index;
  }

  /** The collection of an index document (request-log.index.ts). */
  private indexDoc(day: number, id: string) {
    return this.connection.collection<IndexDocument>(indexCollectionName(dayCollection(day), id));
  }

  /** Up to `limit` rows of the filter in page order after `cursor` (`listColumns`: only the list's columns are needed). */
  async page(
    filter: RequestLogFilter,
    cursor: RequestLogCursor | undefined,
    limit: number,
    listColumns = false,
  ) {
    const out: RequestLogRecord[] = [];
    for await (const rows of this.hours(filter, { cursor, listColumns })) {
      out.push(...rows.slice(0, limit - out.length));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The day collections that exist, oldest first. */
  async days(): Promise<number[]> {
    if (this.dayList && Date.now() - this.dayList.at < DAY_LIST_CACHE_MS) return this.dayList.days;
    const names = await this.connection.db!.listCollections({}, { nameOnly: true }).toArray();
    const days = names
      .map((c) => dayOfCollection(c.name))
      .filter((d): d is number => d !== undefined)
      .sort((a, b) => a - b);
    this.dayList = { at: Date.now(), days };
    return days;
  }

  /** The directory of a day (null when the day has none). Today's and yesterday's are always read fresh. */
  async directory(day: number, fresh = false): Promise<DayDirectory | null> {
    const now = Date.now();
    const settled = day < dayStart(now) - DAY_MS;
    const cached = this.directories.get(day);
    if (!fresh && settled && cached && now - cached.at < DIRECTORY_CACHE_MS) return cached.dir;
    const dir = (await this.day(day).findOne({ _id: DIRECTORY_ID })) as DayDirectory | null;
    this.directories.set(day, { at: now, dir });
    return dir;
  }

  /** All rows of one hour's chunks (each read by its `_id` alone). */
  async chunkRows(day: number, hour: string, parts: number): Promise<RequestLogRecord[]> {
    const docs = await this.chunks(day, hour, parts);
    return docs.flatMap((doc) => unpackRows(doc.z));
  }

  private async chunks(day: number, hour: string, parts: number): Promise<ChunkDocument[]> {
    const collection = this.day(day);
    const docs = await Promise.all(
      chunkIds(hour, parts).map((id) => collection.findOne({ _id: id }) as Promise<ChunkDocument | null>),
    );
    return docs.filter((d): d is ChunkDocument => d !== null);
  }

  /**
   * Adds rows to the hour chunks of their days (compaction, migration): each touched hour's last
   * chunk is filled up with the new rows and further parts are added when it is full; then the
   * day's directory is brought up to date (publish). Rows already in a chunk are skipped, so adding
   * the same rows twice is harmless. Every write is conditional (a chunk's version, a new part's
   * `_id`, the directory's version), so two writers at once lose nothing: the loser throws
   * ChunkConflictError and the caller keeps its rows and tries again. Chunks written by a writer
   * that died before publishing are found (parts are probed past the directory's count) and
   * published by the next one.
   */
  async append(rows: readonly RequestLogRecord[]): Promise<void> {
    const byDay = new Map<number, Map<string, StoredRow[]>>();
    for (const record of rows) {
      const row = storedRow(record); // once: chunks and index copies are written from it
      const t = row.timestamp;
      const hours = byDay.get(dayStart(t)) ?? new Map<string, StoredRow[]>();
      const key = hourKey(t);
      const list = hours.get(key);
      if (list) list.push(row);
      else hours.set(key, [row]);
      byDay.set(dayStart(t), hours);
    }
    for (const [day, hours] of byDay) {
      const dir = await this.directory(day, true);
      // A day gets an index only from its first rows on (a day written before has none).
      const written = new Map<string, HourChunks>();
      for (const [hour, fresh] of hours)
        written.set(hour, await this.appendHour(day, hour, dir?.h[hour]?.parts ?? 0, fresh));
      await this.appendIndex(day, dir === null, [...hours.values()].flat());
      await this.publish(day, written);
    }
  }

  /**
   * Adds rows to a day's index (request-log.index.ts): the value documents first (each
   * compare-and-set on its version, or inserted), then the index directory (compare-and-set), then
   * the documents of values that turned dense are dropped. A reader that read the directory before
   * and finds such a document gone reads the hours instead. Rows a document already holds are not
   * added twice, so a retried compaction adds nothing.
   */
  private async appendIndex(day: number, create: boolean, rows: StoredRow[]): Promise<void> {
    const conflict = (what: string) => new ChunkConflictError(`${dayCollection(day)}/${what}`);
    const dirs = this.indexDoc(day, INDEX_ID);
    const before = await dirs.findOne({ _id: INDEX_ID });
    if (!before && !create) return;
    const current = before ? unpackIndex(before.z) : emptyIndex();
    const ids = indexDocsToRead(current, rows);
    const docs = await Promise.all(ids.map((id) => this.indexDoc(day, id).findOne({ _id: id })));
    const stored = new Map<string, StoredIndexedRow[]>();
    const versions = new Map<string, string>();
    for (const doc of docs) {
      if (!doc) continue;
      stored.set(doc._id, unpackStoredRows(doc.z));
      versions.set(doc._id, doc.v);
    }
    const { index, writes, drops } = updateStoredIndex(current, stored, rows);
    for (const [id, list] of writes) {
      const collection = this.indexDoc(day, id);
      const doc: Omit<IndexDocument, '_id'> = {
        z: packStoredRows(list), // the same bytes as packIndexRows of the records
        n: list.length,
        v: randomBytes(6).toString('hex'),
      };
      const a = levelAbove(index, id);
      if (a !== undefined) doc.a = a;
      const v = versions.get(id);
      if (v !== undefined) {
        const result = await collection.replaceOne({ _id: id, v }, doc);
        if (result.matchedCount === 0) throw conflict(`${id} changed`);
      } else {
        try {
          await collection.insertOne({ _id: id, ...doc });
        } catch (error) {
          if ((error as { code?: number }).code !== 11000) throw error;
          // A document the index does not list: left by a run that crashed before writing the
          // index directory (its rows are still recent rows, so they come again) — or written by
          // another writer right now, which the directory's version tells.
          const now = await dirs.findOne({ _id: INDEX_ID });
          const orphan = await collection.findOne({ _id: id });
          if (now?.v !== before?.v || !orphan) throw conflict(`${id} exists`);
          const result = await collection.replaceOne({ _id: id, v: orphan.v }, doc);
          if (result.matchedCount === 0) throw conflict(`${id} changed`);
        }
      }
    }
    const v = randomBytes(6).toString('hex');
    const z = packIndex(index);
    if (!before) {
      try {
        await dirs.insertOne({ _id: INDEX_ID, z, n: 0, v });
      } catch (error) {
        if ((error as { code?: number }).code === 11000) throw conflict(`${INDEX_ID} exists`);
        throw error;
      }
    } else {
      const result = await dirs.updateOne({ _id: INDEX_ID, v: before.v }, { $set: { z, v } });
      if (result.matchedCount === 0) throw conflict(`${INDEX_ID} changed`);
    }
    this.indexes.delete(day);
    for (const id of drops) await this.indexDoc(day, id).deleteOne({ _id: id });
  }

  /**
   * Writes the summaries of the hours of `written` into the day's directory, computed from the
   * chunks as read after the directory (compare-and-set on the directory's version, re-read on a
   * conflict): a successful write never replaces a summary with one that misses rows another
   * writer published. An hour's chunks are only re-read when a part's version differs from the one
   * `appendHour` left (or a part was added): otherwise its rows are the ones it wrote.
   */
  private async publish(day: number, written: ReadonlyMap<string, HourChunks>): Promise<void> {
    const collection = this.day(day);
    for (let attempt = 1; ; attempt += 1) {
      const dir = await this.directory(day, true);
      const entries: Record<string, HourEntry> = {};
      for (const [hour, mine] of written) {
        const parts = dir?.h[hour]?.parts ?? 0;
        const heads = await this.hourChunkHeads(day, hour, parts);
        const same =
          heads.length === mine.parts.length &&
          heads.every((head, i) => head._id === mine.parts[i]!._id && head.v === mine.parts[i]!.v);
        const stored = same
          ? mine.rows
          : (await this.hourChunks(day, hour, parts)).map((doc) => unpackStoredRows(doc.z));
        if (stored.length === 0) continue;
        const known = dir?.h[hour];
        const rows = stored.flat();
        if (known && known.parts === stored.length && known.n === rows.length) continue;
        entries[hour] = hourEntry(rows, stored.length);
      }
      if (Object.keys(entries).length === 0) return;
      const v = randomBytes(6).toString('hex');
      const done = dir
        ? (
            await collection.updateOne(
              { _id: DIRECTORY_ID, v: dir.v ?? { $exists: false } },
              {
                $set: {
                  v,
                  ...Object.fromEntries(Object.entries(entries).map(([h, e]) => [`h.${h}`, e])),
                },
              },
            )
          ).matchedCount === 1
        : await collection.insertOne({ _id: DIRECTORY_ID, h: entries, v } as never).then(
            () => true,
            (error: { code?: number }) => {
              if (error.code === 11000) return false;
              throw error;
            },
          );
      this.directories.delete(day);
      if (done) {
        if (!this.dayList?.days.includes(day)) this.dayList = undefined;
        return;
      }
      if (attempt >= PUBLISH_ATTEMPTS)
        throw new ChunkConflictError(`${dayCollection(day)}/dir keeps changing`);
    }
  }

  /** Every chunk of an hour: the `parts` the directory knows and any written after it. */
  private async hourChunks(day: number, hour: string, parts: number): Promise<ChunkDocument[]> {
    const docs = await this.chunks(day, hour, parts);
    if (docs.length < parts) return docs; // the day was dropped meanwhile
    const collection = this.day(day);
    for (;;) {
      const next = (await collection.findOne({
        _id: chunkIds(hour, docs.length + 1)[docs.length]!,
      })) as ChunkDocument | null;
      if (!next) return docs;
      docs.push(next);
    }
  }

  /** `hourChunks` without the rows: each part's id and version. */
  private async hourChunkHeads(
    day: number,
    hour: string,
    parts: number,
  ): Promise<{ _id: string; v: string }[]> {
    const collection = this.day(day);
    const head = (id: string) =>
      collection.findOne({ _id: id }, { projection: { v: 1 } }) as Promise<{ _id: string; v: string } | null>;
    const heads = (await Promise.all(chunkIds(hour, parts).map(head))).filter(
      (d): d is { _id: string; v: string } => d !== null,
    );
    if (heads.length < parts) return heads;
    for (;;) {
      const next = await head(chunkIds(hour, heads.length + 1)[heads.length]!);
      if (!next) return heads;
      heads.push(next);
    }
  }

  /** Adds rows to an hour's chunks; returns the chunks as it left them (for `publish`). */
  private async appendHour(
    day: number,
    hour: string,
    parts: number,
    rows: readonly StoredRow[],
  ): Promise<HourChunks> {
    const collection = this.connection.collection<ChunkDocument>(dayCollection(day));
    const docs = await this.hourChunks(day, hour, parts);
    const out: HourChunks = {
      parts: docs.map((doc) => ({ _id: doc._id, v: doc.v })),
      rows: docs.map((doc) => unpackStoredRows(doc.z)),
    };
    const known = new Set<string>();
    for (const part of out.rows) for (const row of part) known.add(row._id);
    const fresh: StoredRow[] = [];
    for (const row of rows) {
      if (known.has(row._id)) continue; // already in a chunk (a retried run) or twice in `rows`
      known.add(row._id);
      fresh.push(row);
    }
    if (fresh.length === 0) return out;
    fresh.sort(storedNewestFirst);
    const conflict = (what: string) => new ChunkConflictError(`${dayCollection(day)}/${what}`);
    const last = out.parts.length - 1;
    const lastRows = out.rows[last] ?? [];
    let rest = fresh;
    if (last >= 0 && lastRows.length < CHUNK_ROWS) {
      const merged = [...lastRows, ...rest.slice(0, CHUNK_ROWS - lastRows.length)].sort(storedNewestFirst);
      rest = rest.slice(CHUNK_ROWS - lastRows.length);
      const v = randomBytes(6).toString('hex');
      const result = await collection.replaceOne(
        { _id: out.parts[last]!._id, v: out.parts[last]!.v },
        { z: packStoredRows(merged), n: merged.length, v },
      );
      if (result.matchedCount === 0) throw conflict(`${out.parts[last]!._id} changed`);
      out.parts[last] = { _id: out.parts[last]!._id, v };
      out.rows[last] = merged;
    }
    for (let part = out.parts.length; rest.length > 0; part += 1) {
      const id = chunkIds(hour, part + 1)[part]!;
      const rows = rest.slice(0, CHUNK_ROWS);
      rest = rest.slice(CHUNK_ROWS);
      const v = randomBytes(6).toString('hex');
      try {
        await collection.insertOne({ _id: id, z: packStoredRows(rows), n: rows.length, v });
      } catch (error) {
        if ((error as { code?: number }).code === 11000) throw conflict(`${id} exists`);
        throw error;
      }
      out.parts.push({ _id: id, v });
      out.rows.push(rows);
    }
    return out;
  }

  /** Recent rows, as many as `limit`, in no particular order (compaction). */
  recentBatch(limit: number): Promise<RequestLogRecord[]> {
    // Large reply batches: the driver's default (101, then getMores) costs CPU on both sides.
    return this.recent().find({}).limit(limit).batchSize(RECENT_BATCH).toArray();
  }

  async deleteRecent(ids: readonly RequestLogRecord['_id'][]): Promise<void> {
    for (let i = 0; i < ids.length; i += DELETE_IDS) {
      await this.recent().deleteMany({ _id: { $in: ids.slice(i, i + DELETE_IDS) } });
    }
  }

  /** Retention: drops the days that end before `before` and recent rows older than it; returns the rows removed. */
  async deleteBefore(before: Date, stopping?: AbortSignal): Promise<number> {
    if (stopping?.aborted) return 0;
    let deleted = (await this.recent().deleteMany({ timestamp: { $lt: before } })).deletedCount;
    for (const day of await this.days()) {
      if (day + DAY_MS > before.getTime()) continue;
      // At shutdown: stop between days (the next run drops the rest).
      if (stopping?.aborted) break;
      const dir = await this.directory(day, true);
      deleted += Object.values(dir?.h ?? {}).reduce((n, e) => n + e.n, 0);
      // The index first: a day without it is read hour by hour, an index without its day never.
      for (const name of indexCollectionNames(dayCollection(day)))
        await this.connection
          .collection(name)
          .drop()
          .catch(() => undefined); // an index collection the day never needed
      await this.day(day).drop();
      this.directories.delete(day);
      this.indexes.delete(day);
    }
    this.dayList = undefined;
    return deleted;
  }
}

/** Rows strictly after the cursor in page order (older, or as old with a smaller `_id`). */
function afterCursor(cursor: RequestLogCursor): (row: RequestLogRecord) => boolean {
  const t = cursor.timestamp.getTime();
  return (row) => {
    const rt = row.timestamp.getTime();
    return rt < t || (rt === t && row._id.toHexString() < cursor.id);
  };
}

import type { CompactRequestLog } from './request-log.mapper';

/** What the gateway hands the writer for one request. */
export interface AnalyticsEvent {
  /** The row as stored (toRequestLogRow): inserted as it is. */
  log: CompactRequestLog;
  /** Present only when the tenant logs prompts: stored encrypted, with a retention period. */
  prompt?: { request: unknown; response: unknown };
}

export interface AnalyticsWriterSettings {
  /** Documents per insert. */
  batchSize: number;
  /** Longest a request waits in the queue before being written. */
  flushIntervalMs: number;
  /**
   * Rollups are folded in memory across batches and upserted at most this often (and on
   * every explicit flush): each upsert is a write transaction in the database, so writing them
   * per batch cost more database CPU than the request logs themselves.
   */
  rollupIntervalMs: number;
  /** Events held at most; beyond that new events are dropped (and counted). */
  maxQueue: number;
  /** How long stored prompts are kept. */
  promptRetentionDays: number;
}

export const DEFAULT_ANALYTICS_SETTINGS: AnalyticsWriterSettings = {
  // One insert per second (or per 1000 rows): every insert is a database transaction, and the
  // database usually shares the machine. Serialising 1000 compact rows blocks the loop for a few ms.
  batchSize: 1000,
  flushIntervalMs: 1000,
  rollupIntervalMs: 4000,
  maxQueue: 50_000,
  promptRetentionDays: 7,
};

export const ANALYTICS_SETTINGS = Symbol('ANALYTICS_SETTINGS');

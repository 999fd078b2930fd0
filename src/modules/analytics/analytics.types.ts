import type { Types } from 'mongoose';

import type { RequestLog } from './request-log.schema';

/** What the gateway hands the writer for one request. */
export interface AnalyticsEvent {
  log: RequestLog & { _id: Types.ObjectId };
  /** Present only when the tenant logs prompts: stored encrypted, with a retention period. */
  prompt?: { request: unknown; response: unknown };
}

export interface AnalyticsWriterSettings {
  /** Documents per insert. */
  batchSize: number;
  /** Longest a request waits in the queue before being written. */
  flushIntervalMs: number;
  /** Events held at most; beyond that new events are dropped (and counted). */
  maxQueue: number;
  /** How long stored prompts are kept. */
  promptRetentionDays: number;
}

export const DEFAULT_ANALYTICS_SETTINGS: AnalyticsWriterSettings = {
  // Small, frequent batches: serialising a batch blocks the event loop, so this keeps each pause short.
  batchSize: 250,
  flushIntervalMs: 500,
  maxQueue: 50_000,
  promptRetentionDays: 7,
};

export const ANALYTICS_SETTINGS = Symbol('ANALYTICS_SETTINGS');

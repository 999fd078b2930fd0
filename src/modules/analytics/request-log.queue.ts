import type { BatchQueue } from '../../core/batching/bounded-batch-writer';
import type { AnalyticsEvent } from './analytics.types';
import { DocumentAnswer } from './insert-answers';
import { BsonDocumentWriter } from './request-log.bson';
import type { RequestPrompt } from './request-prompt.schema';
import { RollupFold } from './rollups';

/** The request logs of one insert, as the analytics writer writes them. */
export interface LogSegment {
  /** The rows as BSON documents, one after another (the insert's document sequence). */
  readonly bytes: Buffer;
  readonly rows: number;
  /** The rows folded into rollup increments, applied once the rows are written. */
  readonly rollups: RollupFold;
  /** The encrypted prompts of the rows that log theirs. */
  readonly prompts: readonly RequestPrompt[];
  /**
   * What the database said about each row so far (`DocumentAnswer` by row), once an attempt was
   * answered for some rows and not all; undefined while no row was answered (or all were stored
   * by the first attempt, the usual case). Kept across attempts; the writer sets it.
   */
  progress: SegmentProgress | undefined;
  /**
   * Attempts whose rows were all refused one by one as well as together (InsertAnswers
   * `wholeRefusal`); the writer takes that answer at its word after a few. The writer sets it.
   */
  wholeRefusals: number;
}

/** The rows of a segment the database has answered, across attempts. */
export interface SegmentProgress {
  /** Per row: DocumentAnswer.Stored, .Refused, or .None (send again). */
  readonly answers: Uint8Array;
  /** `_id`s (hex) of the rows refused for good (their prompts are not stored). */
  readonly refusedIds: Set<string>;
}

export interface RequestLogQueueOptions {
  /** Rows per segment (the writer's batch size). */
  rowsPerSegment: number;
  /** A segment takes no more rows once its BSON reaches this size. */
  bytesPerSegment?: number;
  /** The stored prompt of an event that carries one (encrypted, dated), or undefined. */
  prompt(event: AnalyticsEvent): RequestPrompt | undefined;
}

/** Encoders kept for reuse after their segment was written (one filling, one being written). */
const SPARE_ENCODERS = 2;
const DEFAULT_SEGMENT_BYTES = 4 * 1024 * 1024;
const NO_PROMPTS: readonly RequestPrompt[] = [];

class Segment implements LogSegment {
  rows = 0;
  readonly rollups = new RollupFold();
  promptList: RequestPrompt[] | undefined;
  /** Taken for writing: takes no more rows, and its bytes do not change until it is done. */
  sealed = false;
  progress: SegmentProgress | undefined;
  wholeRefusals = 0;

  constructor(readonly encoder: BsonDocumentWriter) {}

  get bytes(): Buffer {
    return this.encoder.view();
  }

  get prompts(): readonly RequestPrompt[] {
    return this.promptList ?? NO_PROMPTS;
  }
}

/**
 * The analytics writer's queue, holding request logs as bytes: each row is encoded to BSON
 * (BsonDocumentWriter, what the driver would write for it) into the current segment's buffer and
 * folded into the segment's rollups the moment it is queued, so the row object dies with its
 * request instead of waiting a second in the queue (where it outlived young-generation scavenges
 * and was promoted: most of the gateway's GC work). A segment is one insert: the writer sends its
 * bytes as the insert's document sequence, then applies its rollups. A failed segment stays at
 * the front unchanged and is sent again (rows carry their `_id`, so rows the first attempt stored
 * are skipped as duplicates). Written segments' buffers are reused.
 */
export class RequestLogQueue implements BatchQueue<AnalyticsEvent, LogSegment> {
  private segments: Segment[] = [];
  private rows = 0;
  private readonly spare: BsonDocumentWriter[] = [];
  private readonly bytesPerSegment: number;

  constructor(private readonly options: RequestLogQueueOptions) {
    this.bytesPerSegment = options.bytesPerSegment ?? DEFAULT_SEGMENT_BYTES;
  }

  /** Rows held, the segment being written included. */
  get size(): number {
    return this.rows;
  }

  /** Encodes and folds one request's row; throws (adding nothing) when the row cannot be encoded. */
  push(event: AnalyticsEvent): void {
    const segments = this.segments;
    let tail = segments[segments.length - 1];
    if (
      tail === undefined ||
      tail.sealed ||
      tail.rows >= this.options.rowsPerSegment ||
      tail.encoder.length >= this.bytesPerSegment
    ) {
      tail = new Segment(this.spare.pop() ?? new BsonDocumentWriter());
      segments.push(tail);
    }
    let prompt: RequestPrompt | undefined;
    try {
      prompt = event.prompt ? this.options.prompt(event) : undefined;
      // Leaves nothing behind when it throws.
      tail.encoder.append(event.log);
    } catch (error) {
      if (tail.rows === 0) this.release(segments.pop()!);
      throw error;
    }
    tail.rows++;
    this.rows++;
    tail.rollups.add(event.log);
    if (prompt) (tail.promptList ??= []).push(prompt);
  }

  /** The front segment (the oldest rows), sealed; `max` is at least `rowsPerSegment`. */
  take(): LogSegment | undefined {
    const head = this.segments[0];
    if (head === undefined) return undefined;
    head.sealed = true;
    return head;
  }

  count(segment: LogSegment): number {
    return segment.rows;
  }

  done(segment: LogSegment): void {
    const head = this.segments[0];
    if (head !== segment) throw new Error('RequestLogQueue: only the front segment can be done');
    this.segments.shift();
    this.rows -= head.rows;
    this.release(head);
  }

  /** A failed segment is still the front one (sealed, bytes unchanged): nothing to put back, nothing lost. */
  retry(): number {
    return 0;
  }

  /** Empties the queue; returns the rows not stored (rows already stored or refused are not counted). */
  clear(): number {
    let lost = 0;
    for (const segment of this.segments) {
      const answers = segment.progress?.answers;
      if (!answers) lost += segment.rows;
      else for (const answer of answers) if (answer === DocumentAnswer.None) lost++;
    }
    this.segments = [];
    this.rows = 0;
    return lost;
  }

  private release(segment: Segment): void {
    const encoder = segment.encoder;
    encoder.clear();
    if (this.spare.length < SPARE_ENCODERS) this.spare.push(encoder);
  }
}

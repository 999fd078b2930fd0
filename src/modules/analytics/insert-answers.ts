import { mongo } from 'mongoose';

/**
 * What the database said about one document of an insert: `None`, no answer (its command failed
 * as a whole: network, timeout, not primary…, or was not sent); `Stored`, now or by an earlier
 * attempt (a duplicate key on its `_id`); `Refused` for good (a per-document error other than
 * duplicate key: sending it again fails again); `Later`, refused for now (the server is stepping
 * down or shutting down, a timeout): send it again.
 */
export const DocumentAnswer = { None: 0, Stored: 1, Refused: 2, Later: 3 } as const;
export type DocumentAnswer = (typeof DocumentAnswer)[keyof typeof DocumentAnswer];

/** A document the database refused, by its index in the bytes sent. */
export interface RefusedDocument {
  index: number;
  code?: number;
  errmsg?: string;
}

/** A write error of an insert's answer (`index`: in the command's documents). */
export interface WriteError {
  index?: number;
  code?: number;
  errmsg?: string;
}

/** The write concern error of a command's answer: its writes were applied, their replication not confirmed. */
export interface WriteConcernError {
  code?: number;
  codeName?: string;
  errmsg?: string;
}

/**
 * The answers to one unordered insert of encoded documents, per document (by its index in the
 * bytes sent): filled command by command, so a failure part of the way through still tells which
 * documents were stored.
 */
export class InsertAnswers {
  readonly answers: Uint8Array;
  readonly refused: RefusedDocument[] = [];
  /**
   * Set when a command failed because of a document and each of its documents was then refused
   * alone as well, and that answer was not taken at its word (see `trustWholeRefusal`).
   */
  wholeRefusal = false;
  /**
   * Write concern errors taken as stored (see `takeUnmetWriteConcern`): the documents are on the
   * primary, their replication is not confirmed. The writer warns about them.
   */
  readonly unmetWriteConcern: WriteConcernError[] = [];

  /**
   * `trustWholeRefusal`: whether a command refused because of a document, whose documents are each
   * refused alone too, refuses those documents for good. Not at first: that answer usually means the server refuses the
   * command, not the documents (a server that does not take these inserts, a validator being
   * rolled out), so they are kept and sent again. The writer trusts it once the same rows met it
   * several times, so a few rows the server can never take do not block the queue for ever.
   */
  constructor(
    readonly documents: number,
    readonly trustWholeRefusal = false,
  ) {
    this.answers = new Uint8Array(documents);
  }

  /** A command for documents `from` to `to` (exclusive) answered, with these write errors. */
  answered(from: number, to: number, writeErrors: readonly WriteError[] | undefined): void {
    this.answers.fill(DocumentAnswer.Stored, from, to);
    if (!writeErrors) return;
    for (const error of writeErrors) {
      const index = from + (error.index ?? 0);
      if (index < from || index >= to) continue;
      const answer = documentAnswer(error.code);
      this.answers[index] = answer;
      if (answer === DocumentAnswer.Refused) this.refused.push({ ...error, index });
    }
  }

  /**
   * Whether a command's documents count as answered despite its write concern error: yes, unless
   * the error says the primary changed while it waited (its writes may be rolled back, so they
   * are sent again). A timeout waiting for replicas or a write concern the replica set cannot
   * satisfy leaves the writes applied on the primary, and sending them again only meets the same
   * error (blocking the queue for as long as it lasts, for ever when it cannot be satisfied).
   */
  takeUnmetWriteConcern(error: WriteConcernError): boolean {
    if (!writesApplied(error)) return false;
    this.unmetWriteConcern.push(error);
    return true;
  }

  /** Document `index` (sent alone) was refused for good by a command-level error. */
  refuse(index: number, error: { code?: number; message?: string }): void {
    this.answers[index] = DocumentAnswer.Refused;
    this.refused.push({ index, code: error.code, errmsg: error.message });
  }

  /** Forgets the answers of documents `from` to `to` (exclusive): they count as unanswered. */
  reset(from: number, to: number): void {
    this.answers.fill(DocumentAnswer.None, from, to);
    const kept = this.refused.filter((r) => r.index < from || r.index >= to);
    this.refused.length = 0;
    this.refused.push(...kept);
  }

  /** Whether every document was stored or refused for good (nothing to send again). */
  get settled(): boolean {
    const answers = this.answers;
    for (let i = 0; i < answers.length; i++) {
      if (answers[i] !== DocumentAnswer.Stored && answers[i] !== DocumentAnswer.Refused) return false;
    }
    return true;
  }
}

const DUPLICATE_KEY = 11000;

/**
 * Server error codes that say "not now" rather than "not this document": the driver's retryable
 * write codes (network, not primary, shutdown, stepdown, exceeded time limit) and the other
 * interruptions and timeouts a write can meet.
 */
const TRANSIENT_CODES = new Set<number>([
  6, // HostUnreachable
  7, // HostNotFound
  24, // LockTimeout
  46, // LockBusy
  50, // MaxTimeMSExpired
  63, // StaleShardVersion
  64, // WriteConcernFailed
  89, // NetworkTimeout
  91, // ShutdownInProgress
  112, // WriteConflict
  150, // StaleEpoch
  189, // PrimarySteppedDown
  202, // NetworkInterfaceExceededTimeLimit
  262, // ExceededTimeLimit
  334, // TransactionTooLargeForCache (storage cache pressure)
  365, // TemporarilyUnavailable (storage cache pressure, MongoDB 6+)
  9001, // SocketException
  10058, // LegacyNotPrimary
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11601, // Interrupted
  11602, // InterruptedDueToReplStateChange
  13388, // StaleConfig
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
  14031, // OutOfDiskSpace (an operator frees space; the rows wait)
]);

/**
 * Write concern error codes after which the writes may not stay applied: the primary stepped
 * down, shut down or was interrupted while it waited, or (through mongos) a shard's network failed.
 * A resend of stored documents only meets duplicate keys, so when in doubt, resend.
 */
const PRIMARY_CHANGED_CODES = new Set<number>([
  6, 7, 89, 91, 189, 262, 9001, 10058, 10107, 11600, 11601, 11602, 13435, 13436,
]);

/** Document-too-large codes: unlike the other DOCUMENT_CODES, only ever about the document. */
const SIZE_CODES = new Set<number>([10334, 17419, 17420]);

/** Whether a command-level error says its (single) document is too large. */
export function isSizeError(error: unknown): boolean {
  return (
    error instanceof mongo.MongoServerError && typeof error.code === 'number' && SIZE_CODES.has(error.code)
  );
}

/**
 * Whether the writes of a command answered with this write concern error stay applied: not when
 * the primary stepped down, shut down or was interrupted while it waited (they may be rolled back).
 */
export function writesApplied(error: WriteConcernError): boolean {
  return error.code === undefined || !PRIMARY_CHANGED_CODES.has(error.code);
}

/**
 * Command-level server errors a single document can cause (the server refused the command
 * because of one of its documents, without a per-document answer): the document is refused for
 * good when it was sent alone; a command of several is sent again one document per command to
 * find it.
 */
const DOCUMENT_CODES = new Set<number>([
  2, // BadValue
  10334, // BSONObjectTooLarge
  17419, // document too large (insert)
  17420, // document too large (update)
  22, // InvalidBSON
  52, // DollarPrefixedFieldName
  53, // InvalidIdField
  56, // EmptyFieldName
  57, // DottedFieldName
  121, // DocumentValidationFailure
]);

/** A per-document write error's answer: duplicate key → stored, transient → later, else refused. */
export function documentAnswer(code: number | undefined): DocumentAnswer {
  if (code === DUPLICATE_KEY) return DocumentAnswer.Stored;
  return code !== undefined && TRANSIENT_CODES.has(code) ? DocumentAnswer.Later : DocumentAnswer.Refused;
}

/**
 * Whether a command that failed as a whole failed because of a document in it (a server error
 * with one of DOCUMENT_CODES and no retryable label); anything else — network errors, timeouts,
 * server selection, not primary, shutdown, errors of unknown kind — is transient.
 */
export function isDocumentError(error: unknown): boolean {
  if (!(error instanceof mongo.MongoServerError)) return false;
  if (error.hasErrorLabel('RetryableWriteError') || error.hasErrorLabel('TransientTransactionError'))
    return false;
  return typeof error.code === 'number' && DOCUMENT_CODES.has(error.code);
}

import { mongo } from 'mongoose';

const BSON = mongo.BSON;

/** Thrown inside the encoder for a value it does not write itself; the document then goes through `BSON.serialize`. */
const UNSUPPORTED = new Error('not written by BsonDocumentWriter');

/** How the driver serialises a command's documents (OpMsgRequest, with the client's defaults). */
export const DRIVER_OPTIONS = {
  checkKeys: false,
  serializeFunctions: false,
  ignoreUndefined: false,
} as const;

/** Nesting the encoder writes itself (rows nest two levels: `attempts.0.provider`). */
const MAX_DEPTH = 8;

/** Array keys `0`, `1`, … */
const indexKeys: string[] = Array.from({ length: 64 }, (_, i) => `${i}`);

/**
 * Request-log rows as BSON, byte for byte what the driver's serializer (`BSON.serialize`, with the
 * driver's command options: keys unchecked, `undefined` written as null, functions left out) writes
 * for them, appended one after another into one buffer (a document sequence of an `insert`
 * command). The driver's generic serializer checks every key against a pattern, looks for
 * `toBSON` on every value and tracks visited objects; the rows are plain objects of strings,
 * numbers, booleans, dates, one ObjectId and small arrays and objects, so this writes them
 * directly, with cached key bytes, at a fraction of the cost (request-log.bson.spec.ts compares
 * both on random rows). Anything else in a document (a class instance, a bigint, a Buffer, a
 * function, an invalid date, deep nesting) sends that document through `BSON.serialize`.
 */
export class BsonDocumentWriter {
  private buf: Buffer;
  private pos = 0;
  /** A view of `buf` for doubles (Buffer#writeDoubleLE checks its arguments on every call). */
  private view8: DataView | undefined;
  private viewOffset = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Appends one document. */
  append(doc: object): void {
    const start = this.pos;
    try {
      this.pos = this.document(doc, start, 0);
    } catch (error) {
      if (error !== UNSUPPORTED) throw error;
      const bytes = BSON.serialize(doc, DRIVER_OPTIONS);
      this.ensure(start + bytes.length);
      this.buf.set(bytes, start);
      this.pos = start + bytes.length;
    }
  }

  /** Bytes appended so far. */
  get length(): number {
    return this.pos;
  }

  /**
   * A copy of the documents appended so far, in a buffer of their size; the writer starts empty
   * again and keeps its buffer. (Handing the buffer itself out and allocating a fresh one of the
   * same size per batch looked cheaper, but in the gateway it doubled GC time: a mark-compact
   * about once a second, 5–20 ms each, from the fresh megabyte per batch.)
   */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.pos = 0;
    return out;
  }

  /**
   * The documents appended so far, as a view of the writer's buffer (no copy): valid until the
   * next `append`, `take` or `clear`.
   */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Drops what was appended. */
  clear(): void {
    this.pos = 0;
  }

  private ensure(end: number): void {
    if (end <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(end, this.buf.length * 2));
    // All of it: the document being written lies past `pos` until it is complete.
    this.buf.copy(grown, 0, 0, this.buf.length);
    this.buf = grown;
  }

  /** Writes a document (or an array's document) at `start`; returns the end. */
  private document(doc: object, start: number, depth: number): number {
    if (depth > MAX_DEPTH) throw UNSUPPORTED;
    let p = start + 4;
    if (Array.isArray(doc)) {
      const items = doc as unknown[];
      for (let i = 0; i < items.length; i++) {
        const value = items[i];
        p = this.element(i < indexKeys.length ? indexKeys[i]! : `${i}`, value, p, depth);
      }
    } else {
      const proto = Object.getPrototypeOf(doc) as unknown;
      if ((proto !== Object.prototype && proto !== null) || 'toBSON' in doc) throw UNSUPPORTED;
      for (const key in doc) {
        p = this.element(key, (doc as Record<string, unknown>)[key], p, depth);
      }
    }
    this.ensure(p + 1);
    const buf = this.buf;
    buf[p++] = 0;
    int32(buf, start, p - start);
    return p;
  }

  /** Writes one element (type, key, value) at `p`; returns the end. */
  private element(key: string, value: unknown, p: number, depth: number): number {
    switch (typeof value) {
      case 'string': {
        const n = value.length;
        p = this.head(0x02, key, p, 5 + 3 * n);
        const buf = this.buf;
        const at = p + 4;
        let q = at;
        let i = 0;
        if (n <= 64) {
          for (; i < n; i++) {
            const c = value.charCodeAt(i);
            if (c >= 0x80) break;
            buf[q++] = c;
          }
        }
        if (i < n) q = at + buf.write(value, at, 'utf8');
        buf[q++] = 0;
        int32(buf, p, q - at);
        return q;
      }
      case 'number': {
        if ((value | 0) === value && !(value === 0 && 1 / value < 0)) {
          p = this.head(0x10, key, p, 4);
          int32(this.buf, p, value);
          return p + 4;
        }
        p = this.head(0x01, key, p, 8);
        return this.double(value, p);
      }
      case 'boolean': {
        p = this.head(0x08, key, p, 1);
        this.buf[p] = value ? 1 : 0;
        return p + 1;
      }
      case 'undefined':
        return this.head(0x0a, key, p, 0);
      case 'object': {
        if (value === null) return this.head(0x0a, key, p, 0);
        if (value instanceof Date) {
          const ms = value.getTime();
          if (!Number.isSafeInteger(ms)) throw UNSUPPORTED;
          p = this.head(0x09, key, p, 8);
          const buf = this.buf;
          int32(buf, p, ms | 0);
          int32(buf, p + 4, Math.floor(ms / 4_294_967_296) | 0);
          return p + 8;
        }
        if (value instanceof BSON.ObjectId) {
          if ('toBSON' in value) throw UNSUPPORTED;
          p = this.head(0x07, key, p, 12);
          const id = value.id;
          const buf = this.buf;
          for (let i = 0; i < 12; i++) buf[p + i] = id[i]!;
          return p + 12;
        }
        if (Array.isArray(value)) {
          if ('toBSON' in value) throw UNSUPPORTED;
          p = this.head(0x04, key, p, 0);
          return this.document(value, p, depth + 1);
        }
        if ('_bsontype' in value) throw UNSUPPORTED;
        p = this.head(0x03, key, p, 0);
        return this.document(value, p, depth + 1);
      }
      case 'bigint':
      case 'function':
      case 'symbol':
        // A Long, and values BSON.serialize leaves out: its own business.
        throw UNSUPPORTED;
    }
  }

  /** Writes a double (little-endian) at `p`; returns the end. */
  private double(value: number, p: number): number {
    const buf = this.buf;
    let view = this.view8;
    if (view === undefined || view.buffer !== buf.buffer || this.viewOffset !== buf.byteOffset) {
      view = this.view8 = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.viewOffset = buf.byteOffset;
    }
    view.setFloat64(p, value, true);
    return p + 8;
  }

  /** Writes an element's type and key with room for `valueBytes` more; returns where the value goes. */
  private head(type: number, key: string, p: number, valueBytes: number): number {
    const n = key.length;
    this.ensure(p + 2 + 3 * n + valueBytes + 5);
    const buf = this.buf;
    const start = p;
    buf[p++] = type;
    for (let i = 0; i < n; i++) {
      const c = key.charCodeAt(i);
      // BSON.serialize refuses a NUL in a key (the fallback throws its error).
      if (c === 0) throw UNSUPPORTED;
      if (c >= 0x80) {
        if (key.includes('\u0000')) throw UNSUPPORTED;
        p = start + 1 + buf.write(key, start + 1, 'utf8');
        break;
      }
      buf[p++] = c;
    }
    buf[p++] = 0;
    return p;
  }
}

/** Writes a 32-bit integer (little-endian) at `p` (Buffer#writeInt32LE checks its arguments on every call). */
function int32(buf: Buffer, p: number, value: number): void {
  buf[p] = value;
  buf[p + 1] = value >>> 8;
  buf[p + 2] = value >>> 16;
  buf[p + 3] = value >>> 24;
}

/**
 * The documents of BsonDocumentWriter bytes, decoded (the driver serialises them to the same
 * bytes again: request-log.bson.spec.ts); for inserts when the driver has no document sequences.
 */
export function decodeDocuments(bytes: Buffer): Record<string, unknown>[] {
  return Array.from(encodedDocuments(bytes), (doc) => BSON.deserialize(doc));
}

/** Each document of BsonDocumentWriter bytes (one after another), as a view of its own bytes. */
export function* encodedDocuments(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length;) {
    const size = bytes.readInt32LE(at);
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

import { arrayElements, type JsonMember, type JsonSpan, topLevelMembers } from './json-spans';

/** The wire format the original bytes are in (the Anthropic ingress keeps the client's Messages body). */
export type RawJsonDialect = 'openai' | 'anthropic';

/** Where a parsed body keeps its original bytes (a symbol: JSON.stringify and Object.keys skip it). */
const RAW_JSON_BODY = Symbol('prism.rawJsonBody');

/**
 * The bytes a request body arrived as, kept beside the parsed body so it can be forwarded without
 * serialising it again (issue 18): unchanged → the very same bytes; changed → the original bytes
 * with only the changed top-level members (and changed elements of `messages`) re-serialised.
 *
 * Changes are found by identity against a snapshot taken at parse time: the pipeline replaces what
 * it edits (a new `model` value, a new messages array or message object) and never mutates a
 * nested object of the client's body in place. Top-level values are compared directly; for the
 * arrays named at attach time (`messages`) every element is compared, so replacing one message
 * in place is seen too.
 */
export class RawJsonBody {
  private readonly original: Record<string, unknown>;
  private readonly elementsBefore = new Map<string, readonly unknown[]>();
  private members: Map<string, JsonMember> | null | undefined;

  constructor(
    readonly bytes: Buffer,
    readonly dialect: RawJsonDialect,
    parsed: Record<string, unknown>,
    elementKeys: readonly string[] = ['messages'],
  ) {
    this.original = { ...parsed };
    for (const key of elementKeys) {
      const value = parsed[key];
      if (Array.isArray(value)) this.elementsBefore.set(key, value.slice());
    }
  }

  /** Top-level keys whose value differs from the original, added ones and removed ones, in that order. */
  changedKeys(body: Record<string, unknown>): string[] {
    const changed: string[] = [];
    for (const key of Object.keys(body)) {
      if (body[key] === undefined && !(key in this.original)) continue;
      if (!this.unchanged(key, body[key])) changed.push(key);
    }
    for (const key of Object.keys(this.original)) if (!(key in body)) changed.push(key);
    return changed;
  }

  /** The original elements of an array named at attach time. */
  originalElements(key: string): readonly unknown[] | undefined {
    return this.elementsBefore.get(key);
  }

  /** Elements of an array named at attach time that are not the original element at that index. */
  changedElements(key: string, value: unknown): number[] {
    const before = this.elementsBefore.get(key);
    if (!before || !Array.isArray(value)) return [];
    const changed: number[] = [];
    for (let i = 0; i < Math.max(value.length, before.length); i += 1)
      if (value[i] !== before[i]) changed.push(i);
    return changed;
  }

  /**
   * The bytes to send for `body` (which must be in this body's dialect): the original bytes when
   * nothing changed, else the original bytes of every unchanged member; undefined when the bytes
   * cannot be split (the caller serialises `body` itself).
   */
  encode(body: Record<string, unknown>): Buffer | undefined {
    const changed = this.changedKeys(body);
    if (changed.length === 0) return this.bytes;
    if (changed.every((key) => !(key in this.original))) return this.withAdded(body, changed);
    const members = this.memberIndex();
    if (!members) return undefined;
    const parts: (Buffer | string)[] = [];
    for (const key of Object.keys(body)) {
      const value = body[key];
      if (!isSerialisable(value)) continue;
      const member = members.get(key);
      if (member && this.unchanged(key, value)) parts.push(this.bytes.subarray(member.start, member.end));
      else if (member && this.elementsBefore.has(key) && Array.isArray(value))
        parts.push(
          Buffer.concat([
            this.bytes.subarray(member.start, member.valueStart),
            toBuffer(this.encodeArray(key, value, member)),
          ]),
        );
      else parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
    }
    return join(parts);
  }

  /**
   * The original bytes with some top-level members replaced (in place), added (at the end) or
   * removed (`undefined`); undefined when the bytes cannot be split.
   */
  withMembers(edits: Readonly<Record<string, unknown>>): Buffer | undefined {
    const members = this.memberIndex();
    if (!members) return undefined;
    const parts: (Buffer | string)[] = [];
    for (const [key, member] of members) {
      if (!(key in edits)) parts.push(this.bytes.subarray(member.start, member.end));
      else if (isSerialisable(edits[key])) parts.push(`${JSON.stringify(key)}:${JSON.stringify(edits[key])}`);
    }
    for (const [key, value] of Object.entries(edits))
      if (!members.has(key) && isSerialisable(value))
        parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
    return join(parts);
  }

  /**
   * Members only added (a stream's `stream_options`): the original bytes up to their closing brace
   * and the new members after them, without walking the document (the brace is found from the end).
   */
  private withAdded(body: Record<string, unknown>, added: readonly string[]): Buffer | undefined {
    let close = this.bytes.length - 1;
    while (close > 0 && isSpace(this.bytes[close])) close -= 1;
    if (this.bytes[close] !== CLOSE_OBJECT) return undefined;
    let tail = '';
    let empty = Object.keys(this.original).length === 0;
    for (const key of added) {
      if (!isSerialisable(body[key])) continue;
      tail += `${empty ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(body[key])}`;
      empty = false;
    }
    return Buffer.concat([this.bytes.subarray(0, close), Buffer.from(tail + '}')]);
  }

  private unchanged(key: string, value: unknown): boolean {
    if (value !== this.original[key] || !(key in this.original)) return false;
    return !this.elementsBefore.has(key) || this.changedElements(key, value).length === 0;
  }

  private encodeArray(key: string, value: unknown[], member: JsonMember): Buffer | string {
    const spans = arrayElements(this.bytes, member.valueStart, member.end);
    const before = this.elementsBefore.get(key);
    if (!spans || !before || spans.length !== before.length) return JSON.stringify(value);
    const index = new Map<unknown, JsonSpan>();
    before.forEach((element, i) => index.set(element, spans[i] as JsonSpan));
    const parts: (Buffer | string)[] = ['['];
    value.forEach((element, i) => {
      if (i > 0) parts.push(',');
      const span = index.get(element);
      parts.push(span ? this.bytes.subarray(span[0], span[1]) : (JSON.stringify(element) ?? 'null'));
    });
    parts.push(']');
    return Buffer.concat(parts.map(toBuffer));
  }

  private memberIndex(): Map<string, JsonMember> | undefined {
    if (this.members === undefined) {
      const list = topLevelMembers(this.bytes);
      const index = list ? new Map(list.map((m) => [m.key, m])) : undefined;
      // A key given twice is serialised from the parsed body instead: splicing one occurrence
      // would leave the other for the upstream to read.
      this.members = index && index.size === list?.length ? index : null;
    }
    return this.members ?? undefined;
  }
}

const CLOSE_OBJECT = 0x7d;

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function toBuffer(part: Buffer | string): Buffer {
  return typeof part === 'string' ? Buffer.from(part) : part;
}

function isSerialisable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** `{` parts joined by commas `}` as one buffer. */
function join(parts: readonly (Buffer | string)[]): Buffer {
  const buffers: Buffer[] = [Buffer.from('{')];
  parts.forEach((part, i) => {
    if (i > 0) buffers.push(Buffer.from(','));
    buffers.push(toBuffer(part));
  });
  buffers.push(Buffer.from('}'));
  return Buffer.concat(buffers);
}

/**
 * Keeps `raw` on `body`. The property is an enumerable symbol, so object spreads (`{...body, model}`
 * in the dispatcher, `withStreamUsage`) carry it to the adapter while JSON.stringify ignores it.
 */
export function attachRawJson(body: Record<string, unknown>, raw: RawJsonBody): void {
  (body as Record<symbol, unknown>)[RAW_JSON_BODY] = raw;
}

/** The original bytes of `body` when it has them in `dialect`. */
export function rawJsonOf(body: object, dialect: RawJsonDialect): RawJsonBody | undefined {
  const raw = (body as Record<symbol, unknown>)[RAW_JSON_BODY];
  return raw instanceof RawJsonBody && raw.dialect === dialect ? raw : undefined;
}

/** What to send for an OpenAI-dialect body: its original bytes where possible, else JSON text. */
export function encodeJsonBody(body: Record<string, unknown>): Buffer | string {
  return rawJsonOf(body, 'openai')?.encode(body) ?? JSON.stringify(body);
}

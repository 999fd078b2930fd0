import { isUtf8 } from 'node:buffer';

import { RawJsonBody } from './raw-json-body';

/** Where a parsed answer keeps its bytes (not enumerable: spreads, equality checks and JSON skip it). */
const ANSWER_BYTES = Symbol('prism.answerBytes');

const CLOSE_OBJECT = 0x7d;

/**
 * An upstream answer's bytes and its top-level members as parsed. Members added since are
 * appended before the closing brace (the gateway's `cost_info`, `auto_routing`); a member changed
 * since goes through {@link RawJsonBody}, which splits the bytes into members. Comparing the
 * parsed members by identity costs less than RawJsonBody's snapshot on every answer, so this
 * pays off for small answers too (Node 20, the bench's 600-byte answer: ~7 µs parsed, kept and
 * spliced against ~10 µs parsed and serialised again; a 100 KB answer ~110 against ~420 µs).
 */
class KeptAnswer {
  constructor(
    private readonly bytes: Buffer,
    private readonly keys: readonly string[],
    private readonly values: readonly unknown[],
  ) {}

  encode(answer: Record<string, unknown>): Buffer | undefined {
    const keys = Object.keys(answer);
    const kept = this.keys.length;
    if (keys.length < kept) return this.rewritten(answer);
    for (let i = 0; i < kept; i++) {
      const key = keys[i] as string;
      if (key !== this.keys[i] || answer[key] !== this.values[i]) return this.rewritten(answer);
    }
    if (keys.length === kept) return this.bytes;
    const bytes = this.bytes;
    let close = bytes.length - 1;
    while (close > 0 && isSpace(bytes[close])) close -= 1;
    if (bytes[close] !== CLOSE_OBJECT) return undefined;
    let tail = '';
    let empty = kept === 0;
    for (let i = kept; i < keys.length; i++) {
      const key = keys[i] as string;
      const value = JSON.stringify(answer[key]) as string | undefined;
      if (value === undefined) continue; // skipped, as JSON.stringify skips it (undefined, a function)
      tail += `${empty ? '' : ','}${JSON.stringify(key)}:${value}`;
      empty = false;
    }
    return Buffer.concat([bytes.subarray(0, close), Buffer.from(tail + '}')]);
  }

  /** A member the answer came with was replaced or removed (rare): splice by member. */
  private rewritten(answer: Record<string, unknown>): Buffer | undefined {
    const original: Record<string, unknown> = {};
    this.keys.forEach((key, i) => (original[key] = this.values[i]));
    return new RawJsonBody(this.bytes, 'openai', original, []).encode(answer);
  }
}

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Keeps an upstream's JSON answer bytes beside the parsed answer, so the gateway can send them on
 * with only its own members appended (`cost_info`, `auto_routing`) instead of serialising the whole
 * answer again. Not kept for bytes the parse did not take as they are (a byte-order mark, invalid
 * UTF-8). The answer must not be edited below its top level afterwards (the gateway only adds
 * top-level members; a changed top-level member is re-serialised).
 */
export function keepAnswerBytes(answer: Record<string, unknown>, bytes: Buffer): void {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return;
  if (!isUtf8(bytes)) return;
  Object.defineProperty(answer, ANSWER_BYTES, {
    value: new KeptAnswer(bytes, Object.keys(answer), Object.values(answer)),
  });
}

/** An answer as JSON: its upstream bytes with the changed members spliced in when it has them. */
export function encodeAnswer(payload: unknown): string | Buffer {
  const kept = (payload as Record<symbol, unknown> | null | undefined)?.[ANSWER_BYTES];
  const bytes = kept instanceof KeptAnswer ? kept.encode(payload as Record<string, unknown>) : undefined;
  return bytes ?? JSON.stringify(payload);
}

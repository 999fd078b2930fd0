import { isAscii } from 'node:buffer';

/**
 * Parses a request body without reading base64 payloads as JSON text (issue 18). Image and audio
 * data (`data:…;base64,…` URLs, Anthropic `"data": "…"` sources) are found in the received bytes,
 * left out of the text given to `JSON.parse` and put back afterwards, each decoded once from its
 * own bytes: base64 is ASCII, so it is copied as Latin-1 (a memory copy) instead of going through
 * the UTF-8 decoder, which took 3–12 ms for a 4 MB body. A 4 MB vision request is decoded and
 * parsed like a small one plus one copy of its payload.
 *
 * Both forms start with `"data`, so finding them is one native byte search, not a regex pass
 * over the whole text. Prototype poisoning is checked on the parsed value instead (its keys, escapes
 * already decoded): a `__proto__` key, or a `constructor` object with a `prototype`, anywhere —
 * exactly what Fastify's secure parser refuses, found by walking the objects, not the characters.
 *
 * Safety: a cut covers only the inside of one JSON string that holds no backslash, so removing it
 * cannot change the document's structure, and it starts and ends next to ASCII bytes, so the text
 * around it decodes as the whole body would. A body with a forbidden key, and anything this parser
 * cannot read or put back, goes to the secure parser (Fastify's) with the whole text, which gives
 * the same result or the same error as before.
 */

/** Strings shorter than this are parsed as usual. */
const MIN_CUT_BYTES = 4096;
/** Ends every placeholder; random per process so no client text can imitate it. */
const NONCE = `-${Math.random().toString(36).slice(2, 10)}~`;
const PLACEHOLDER_HEAD = '~prism-cut-';
/** How far after `"data:` the `;base64,` may be (the media type and its parameters). */
const MAX_MEDIA_TYPE_BYTES = 256;
/**
 * Node copies Latin-1 up to about a megabyte (its EXTERN_APEX, 1 031 913 bytes) into the JS heap;
 * longer text becomes an external string, which V8 collects badly under many 4 MB requests
 * (benchmarks.md). Longer ASCII payloads are decoded in pieces of this size and joined.
 */
const HEAP_DECODE_BYTES = 1_000_000;
const DATA = Buffer.from('"data');
const BASE64_MARK = Buffer.from(';base64,');
const QUOTE = 0x22;
const COLON = 0x3a;
const BACKSLASH = 0x5c;

type Cut = readonly [start: number, end: number];

/**
 * The parsed body of `input` (the received bytes; a string is encoded first). Only the text outside
 * the payloads is decoded and parsed as JSON; each payload is decoded once, from its own bytes, and
 * put back. Errors and refusals are the secure parser's, on the whole text.
 */
export function parseRequestJson(input: Buffer | string, secureParse: (text: string) => unknown): unknown {
  const raw = typeof input === 'string' ? Buffer.from(input) : input;
  const cuts = findCuts(raw);
  const reduced = cuts.length === 0 ? raw.toString('utf8') : withPlaceholders(raw, cuts);
  const whole = (): string => (cuts.length === 0 ? reduced : raw.toString('utf8'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(reduced);
  } catch {
    return secureParse(whole()); // the secure parser's error for the client
  }
  if (hasPrototypeKeys(parsed)) return secureParse(whole()); // its error (it refuses these)
  if (cuts.length > 0 && restore(parsed, raw, cuts) !== cuts.length) return secureParse(whole());
  return parsed;
}

/**
 * Long backslash-free payloads to cut (`"data:…;base64,` values, `"data": "` keys), in byte order.
 * Every search is native (`Buffer#indexOf`) and bounded to the payload it checks.
 */
function findCuts(raw: Buffer): Cut[] {
  const cuts: Cut[] = [];
  let position = 0;
  for (;;) {
    const found = raw.indexOf(DATA, position);
    if (found < 0) return cuts;
    position = found + DATA.length;
    const start = payloadStart(raw, position);
    const cut = start < 0 ? undefined : stringRest(raw, start);
    if (!cut) continue;
    cuts.push(cut);
    position = cut[1]; // a cut holds no backslash and no quote: nothing to look for inside
  }
}

/** Where the payload starts after `"data` (at `after`), or -1 if this is not one. */
function payloadStart(raw: Buffer, after: number): number {
  const next = raw[after];
  if (next === COLON) {
    const head = raw.subarray(after, after + MAX_MEDIA_TYPE_BYTES);
    const marker = head.indexOf(BASE64_MARK);
    if (marker < 0 || head.lastIndexOf(QUOTE, marker) >= 0) return -1;
    return after + marker + BASE64_MARK.length;
  }
  if (next !== QUOTE) return -1;
  let i = skipSpace(raw, after + 1);
  if (raw[i] !== COLON) return -1;
  i = skipSpace(raw, i + 1);
  return raw[i] === QUOTE ? i + 1 : -1;
}

function skipSpace(raw: Buffer, from: number): number {
  let i = from;
  for (let c = raw[i]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = raw[i]) i += 1;
  return i;
}

/** `[from, closing quote)` when that stretch is long and free of backslashes. */
function stringRest(raw: Buffer, from: number): Cut | undefined {
  const end = raw.indexOf(QUOTE, from);
  if (end < 0 || end - from < MIN_CUT_BYTES) return undefined;
  if (raw.subarray(from, end).indexOf(BACKSLASH) >= 0) return undefined;
  return [from, end];
}

/** The text of `raw[start, end)`: base64 (ASCII) copied as Latin-1 in heap-sized pieces, else UTF-8. */
function decodePayload(raw: Buffer, start: number, end: number): string {
  if (!isAscii(raw.subarray(start, end))) return raw.toString('utf8', start, end);
  let text = '';
  for (let at = start; at < end; at += HEAP_DECODE_BYTES)
    text += raw.toString('latin1', at, Math.min(end, at + HEAP_DECODE_BYTES));
  return text;
}

/**
 * What Fastify's secure parser refuses (`protoAction`/`constructorAction: 'error'`): an own
 * `__proto__` key, or an own `constructor` key whose value is an object with an own `prototype`.
 */
function hasPrototypeKeys(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const value of node) if (value !== null && typeof value === 'object') stack.push(value);
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (key === '__proto__') return true;
      if (
        key === 'constructor' &&
        isObject(value) &&
        Object.prototype.hasOwnProperty.call(value, 'prototype')
      )
        return true;
      if (value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return false;
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

function withPlaceholders(raw: Buffer, cuts: readonly Cut[]): string {
  let reduced = '';
  let position = 0;
  cuts.forEach(([start, end], index) => {
    reduced += raw.toString('utf8', position, start) + PLACEHOLDER_HEAD + index + NONCE;
    position = end;
  });
  return reduced + raw.toString('utf8', position);
}

/** Puts every cut back into the parsed value; returns how many were found. */
function restore(root: unknown, raw: Buffer, cuts: readonly Cut[]): number {
  let restored = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i += 1) {
        const value: unknown = node[i];
        if (typeof value === 'string') {
          const full = restored < cuts.length ? original(value) : undefined;
          if (full !== undefined) node[i] = full;
        } else if (value && typeof value === 'object') visit(value);
      }
      return;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (typeof value === 'string') {
        const full = restored < cuts.length ? original(value) : undefined;
        if (full !== undefined) record[key] = full;
      } else if (value && typeof value === 'object') visit(value);
    }
  };
  const original = (value: string): string | undefined => {
    if (!value.endsWith(NONCE)) return undefined;
    const head = value.lastIndexOf(PLACEHOLDER_HEAD);
    if (head < 0) return undefined;
    const cut = cuts[Number(value.slice(head + PLACEHOLDER_HEAD.length, value.length - NONCE.length))];
    if (!cut) return undefined;
    restored += 1;
    return value.slice(0, head) + decodePayload(raw, cut[0], cut[1]);
  };
  if (root && typeof root === 'object') visit(root);
  return restored;
}

/**
 * Byte spans of the members of a JSON document's top-level object and of one array's elements,
 * found without parsing: strings are skipped with `Buffer.indexOf` (memchr speed, so a 4 MB base64
 * image costs one native search), only the structure between strings is walked byte by byte. Used
 * to forward a request body's original bytes with only the changed members rewritten.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** One `"key": value` member; `start` is the key's opening quote, `end` is just after the value. */
export interface JsonMember {
  readonly key: string;
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

/** `[start, end)` of one value. */
export type JsonSpan = readonly [start: number, end: number];

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Buffer, position: number): number {
  while (isSpace(bytes[position])) position += 1;
  return position;
}

/** Position just after the string that opens at `position` (a quote), or -1. */
function skipString(bytes: Buffer, position: number): number {
  let from = position + 1;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let backslashes = 0;
    for (let i = quote - 1; bytes[i] === BACKSLASH; i -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Position just after the value that starts at `position` (no leading space), or -1. */
function skipValue(bytes: Buffer, position: number): number {
  const first = bytes[position];
  if (first === QUOTE) return skipString(bytes, position);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    let i = position;
    while (i < bytes.length) {
      const b = bytes[i];
      if (b === COMMA || b === CLOSE_OBJECT || b === CLOSE_ARRAY || isSpace(b)) break;
      i += 1;
    }
    return i > position ? i : -1;
  }
  let depth = 0;
  let i = position;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b === QUOTE) {
      i = skipString(bytes, i);
      if (i < 0) return -1;
      continue;
    }
    if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth += 1;
    else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  return -1;
}

/**
 * The members of the top-level object, in document order; undefined when the bytes are not one
 * JSON object (the caller then serialises the parsed body instead).
 */
export function topLevelMembers(bytes: Buffer): JsonMember[] | undefined {
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== OPEN_OBJECT) return undefined;
  i = skipSpace(bytes, i + 1);
  const members: JsonMember[] = [];
  if (bytes[i] === CLOSE_OBJECT) return members;
  for (;;) {
    if (bytes[i] !== QUOTE) return undefined;
    const start = i;
    const keyEnd = skipString(bytes, i);
    if (keyEnd < 0) return undefined;
    let key: string;
    try {
      key = JSON.parse(bytes.toString('utf8', start, keyEnd)) as string;
    } catch {
      return undefined;
    }
    i = skipSpace(bytes, keyEnd);
    if (bytes[i] !== COLON) return undefined;
    const valueStart = skipSpace(bytes, i + 1);
    const end = skipValue(bytes, valueStart);
    if (end < 0) return undefined;
    members.push({ key, start, valueStart, end });
    i = skipSpace(bytes, end);
    if (bytes[i] === COMMA) {
      i = skipSpace(bytes, i + 1);
      continue;
    }
    return bytes[i] === CLOSE_OBJECT ? members : undefined;
  }
}

/** The element spans of the array whose value spans `[start, end)`; undefined if it is not an array. */
export function arrayElements(bytes: Buffer, start: number, end: number): JsonSpan[] | undefined {
  if (bytes[start] !== OPEN_ARRAY) return undefined;
  let i = skipSpace(bytes, start + 1);
  const spans: JsonSpan[] = [];
  if (bytes[i] === CLOSE_ARRAY) return spans;
  while (i < end) {
    const valueEnd = skipValue(bytes, i);
    if (valueEnd < 0 || valueEnd > end) return undefined;
    spans.push([i, valueEnd]);
    i = skipSpace(bytes, valueEnd);
    if (bytes[i] === COMMA) {
      i = skipSpace(bytes, i + 1);
      continue;
    }
    return bytes[i] === CLOSE_ARRAY ? spans : undefined;
  }
  return undefined;
}

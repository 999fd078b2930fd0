import { isUtf8 } from 'node:buffer';

const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
/**
 * From this size the answer is spliced as bytes instead of text: a string splice is cheaper for
 * small answers (one string with the head, one socket write), but encoding a long string again
 * costs more than checking and copying the bytes (Node 20, micro-benchmark: 2 KB 2.2–3.3 against
 * 1.2–1.8 µs, 8 KB 6.3–8.8 against 3.0 µs, 100 KB 40–105 against 11–16 µs; the higher figures for
 * non-ASCII text).
 */
export const MIN_BYTES_SPLICE = 8 * 1024;

/**
 * An upstream's JSON answer with the gateway's members appended (issue 17): the answer's own text up
 * to its closing brace, then `members` (`"name":value` pairs, already JSON, without a leading
 * comma), so the answer is not serialised again. `text` must be the text of a JSON object that
 * `JSON.parse` accepted (upstream answers are parsed, and so validated, before they are passed on):
 * its last non-blank character is then the object's closing brace, and the non-blank character
 * before it is `{` only when the object is empty (a string ends with `"`, a number with a digit, a
 * literal with a letter, an object or array with `}`/`]`), so braces or quotes inside strings never
 * matter. Blanks after the closing brace are dropped. With `bytes` (what `text` was decoded from) a
 * large answer is spliced as bytes, when they are valid UTF-8 without a byte-order mark (the same
 * characters as `text`). Undefined when `text` does not end like an object, for the caller to
 * serialise the parsed answer instead.
 */
export function appendJsonMembers(
  text: string,
  members: string,
  bytes?: Buffer,
): string | Buffer | undefined {
  if (bytes && bytes.length >= MIN_BYTES_SPLICE && bytes[0] !== 0xef && isUtf8(bytes)) {
    return appendToBytes(bytes, members);
  }
  let close = text.length - 1;
  while (close > 0 && isBlank(text.charCodeAt(close))) close -= 1;
  if (close < 1 || text.charCodeAt(close) !== CLOSE_OBJECT) return undefined;
  if (members === '') return close === text.length - 1 ? text : text.slice(0, close + 1);
  let last = close - 1;
  while (last > 0 && isBlank(text.charCodeAt(last))) last -= 1;
  const head = text.slice(0, close);
  return text.charCodeAt(last) === OPEN_OBJECT ? `${head}${members}}` : `${head},${members}}`;
}

/** {@link appendJsonMembers} on the bytes (valid UTF-8: every blank and brace is one byte). */
function appendToBytes(bytes: Buffer, members: string): Buffer | undefined {
  let close = bytes.length - 1;
  while (close > 0 && isBlank(bytes[close] as number)) close -= 1;
  if (close < 1 || bytes[close] !== CLOSE_OBJECT) return undefined;
  if (members === '') return close === bytes.length - 1 ? bytes : bytes.subarray(0, close + 1);
  let last = close - 1;
  while (last > 0 && isBlank(bytes[last] as number)) last -= 1;
  const tail = bytes[last] === OPEN_OBJECT ? `${members}}` : `,${members}}`;
  return Buffer.concat([bytes.subarray(0, close), Buffer.from(tail)]);
}

/** JSON's insignificant whitespace: space, tab, line feed, carriage return. */
function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

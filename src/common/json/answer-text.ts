const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }

/**
 * An upstream's JSON answer with the gateway's members appended (issue 17): the answer's own text up
 * to its closing brace, then `members` (`"name":value` pairs, already JSON, without a leading
 * comma), so the answer is not serialised again. `text` must be the text of a JSON object that
 * `JSON.parse` accepted (upstream answers are parsed, and so validated, before they are passed on):
 * its last non-blank character is then the object's closing brace, and the non-blank character
 * before it is `{` only when the object is empty (a string ends with `"`, a number with a digit, a
 * literal with a letter, an object or array with `}`/`]`), so braces or quotes inside strings never
 * matter. Blanks after the closing brace are dropped. Undefined when `text` does not end like an
 * object, for the caller to serialise the parsed answer instead.
 */
export function appendJsonMembers(text: string, members: string): string | undefined {
  let close = text.length - 1;
  while (close > 0 && isBlank(text.charCodeAt(close))) close -= 1;
  if (close < 1 || text.charCodeAt(close) !== CLOSE_OBJECT) return undefined;
  if (members === '') return close === text.length - 1 ? text : text.slice(0, close + 1);
  let last = close - 1;
  while (last > 0 && isBlank(text.charCodeAt(last))) last -= 1;
  const head = text.slice(0, close);
  return text.charCodeAt(last) === OPEN_OBJECT ? `${head}${members}}` : `${head},${members}}`;
}

/** JSON's insignificant whitespace: space, tab, line feed, carriage return. */
function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

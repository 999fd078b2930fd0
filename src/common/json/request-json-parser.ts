/**
 * Parses a request body without reading base64 payloads as JSON text (issue 18). Image and audio
 * data (`data:…;base64,…` URLs, Anthropic `"data": "…"` sources) are cut out before `JSON.parse`
 * and put back afterwards as slices of the original text (V8 shares the characters: no copy), so a
 * 4 MB vision request is parsed like a small one.
 *
 * Safety: a cut covers only the inside of one JSON string that holds no backslash, so removing it
 * cannot change the document's structure. Bodies that could carry a `__proto__` or `constructor`
 * key (literally or as `\u00XX` escapes) are left to the secure parser (Fastify's, which refuses
 * them), and so is anything this parser cannot read or put back: the fallback gives the same
 * result or the same error as before.
 */

/** Strings shorter than this are parsed as usual. */
const MIN_CUT_CHARS = 4096;
/** Ends every placeholder; random per process so no client text can imitate it. */
const NONCE = `-${Math.random().toString(36).slice(2, 10)}~`;
const PLACEHOLDER_HEAD = '~prism-cut-';
/**
 * One pass over the text finds both what may be cut (the rest of a `;base64,` string, a `"data"`
 * string value) and what needs the secure parser: a key that could reach an object's prototype,
 * literal or escaped (`\u005f` is `_`, `\u0063` is `c`, …). One regex is several times faster
 * than a search per pattern on code-heavy text.
 */
const SCAN = /;base64,|"data"[ \t\r\n]*:[ \t\r\n]*"|__proto__"|constructor"|\\u00[5-7]/g;

type Cut = readonly [start: number, end: number];

export function parseRequestJson(text: string, secureParse: (text: string) => unknown): unknown {
  const cuts = findCuts(text);
  if (!cuts) return secureParse(text);
  const reduced = cuts.length === 0 ? text : withPlaceholders(text, cuts);
  let parsed: unknown;
  try {
    parsed = JSON.parse(reduced);
  } catch {
    return secureParse(text); // the secure parser's error for the client
  }
  if (cuts.length > 0 && restore(parsed, text, cuts) !== cuts.length) return secureParse(text);
  return parsed;
}

/** Long backslash-free string contents to cut, in text order; undefined when the text is suspicious. */
function findCuts(text: string): Cut[] | undefined {
  const cuts: Cut[] = [];
  const scan = new RegExp(SCAN);
  for (let match = scan.exec(text); match; match = scan.exec(text)) {
    const token = match[0];
    if (token === '__proto__"' || token === 'constructor"' || token.startsWith('\\')) return undefined;
    const cut = stringRest(text, scan.lastIndex);
    if (!cut) continue;
    cuts.push(cut);
    scan.lastIndex = cut[1]; // a cut holds no backslash and no quote: nothing to look for inside
  }
  return cuts;
}

/** `[from, closing quote)` when that stretch is long and free of backslashes. */
function stringRest(text: string, from: number): Cut | undefined {
  const end = text.indexOf('"', from);
  if (end < 0 || end - from < MIN_CUT_CHARS) return undefined;
  const backslash = text.indexOf('\\', from);
  if (backslash >= 0 && backslash < end) return undefined;
  return [from, end];
}

function withPlaceholders(text: string, cuts: readonly Cut[]): string {
  let reduced = '';
  let position = 0;
  cuts.forEach(([start, end], index) => {
    reduced += text.slice(position, start) + PLACEHOLDER_HEAD + index + NONCE;
    position = end;
  });
  return reduced + text.slice(position);
}

/** Puts every cut back into the parsed value; returns how many were found. */
function restore(root: unknown, text: string, cuts: readonly Cut[]): number {
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
    return value.slice(0, head) + text.slice(cut[0], cut[1]);
  };
  if (root && typeof root === 'object') visit(root);
  return restored;
}

/**
 * Parses a request body without reading base64 payloads as JSON text (issue 18). Image and audio
 * data (`data:…;base64,…` URLs, Anthropic `"data": "…"` sources) are cut out before `JSON.parse`
 * and put back afterwards as slices of the original text (V8 shares the characters: no copy), so a
 * 4 MB vision request is parsed like a small one.
 *
 * Both forms start with `"data`, so finding them is one native string search, not a regex pass
 * over the whole text. Prototype poisoning is checked on the parsed value instead (its keys, escapes
 * already decoded): a `__proto__` key, or a `constructor` object with a `prototype`, anywhere —
 * exactly what Fastify's secure parser refuses, found by walking the objects, not the characters.
 *
 * Safety: a cut covers only the inside of one JSON string that holds no backslash, so removing it
 * cannot change the document's structure. A body with a forbidden key, and anything this parser
 * cannot read or put back, goes to the secure parser (Fastify's), which gives the same result or
 * the same error as before.
 */

/** Strings shorter than this are parsed as usual. */
const MIN_CUT_CHARS = 4096;
/** Ends every placeholder; random per process so no client text can imitate it. */
const NONCE = `-${Math.random().toString(36).slice(2, 10)}~`;
const PLACEHOLDER_HEAD = '~prism-cut-';
/** How far after `"data:` the `;base64,` may be (the media type and its parameters). */
const MAX_MEDIA_TYPE_CHARS = 256;
const QUOTE = 0x22;
const COLON = 0x3a;

type Cut = readonly [start: number, end: number];

export function parseRequestJson(text: string, secureParse: (text: string) => unknown): unknown {
  const cuts = findCuts(text);
  const reduced = cuts.length === 0 ? text : withPlaceholders(text, cuts);
  let parsed: unknown;
  try {
    parsed = JSON.parse(reduced);
  } catch {
    return secureParse(text); // the secure parser's error for the client
  }
  if (hasPrototypeKeys(parsed)) return secureParse(text); // its error (it refuses these)
  if (cuts.length > 0 && restore(parsed, text, cuts) !== cuts.length) return secureParse(text);
  return parsed;
}

/** Long backslash-free payloads to cut (`"data:…;base64,` values, `"data": "` keys), in text order. */
function findCuts(text: string): Cut[] {
  const cuts: Cut[] = [];
  let position = 0;
  for (;;) {
    const found = text.indexOf('"data', position);
    if (found < 0) return cuts;
    position = found + 5;
    const start = payloadStart(text, position);
    const cut = start < 0 ? undefined : stringRest(text, start);
    if (!cut) continue;
    cuts.push(cut);
    position = cut[1]; // a cut holds no backslash and no quote: nothing to look for inside
  }
}

/** Where the payload starts after `"data` (at `after`), or -1 if this is not one. */
function payloadStart(text: string, after: number): number {
  const next = text.charCodeAt(after);
  if (next === COLON) {
    const head = text.slice(after, after + MAX_MEDIA_TYPE_CHARS);
    const marker = head.indexOf(';base64,');
    if (marker < 0 || head.lastIndexOf('"', marker) >= 0) return -1;
    return after + marker + 8;
  }
  if (next !== QUOTE) return -1;
  let i = skipSpace(text, after + 1);
  if (text.charCodeAt(i) !== COLON) return -1;
  i = skipSpace(text, i + 1);
  return text.charCodeAt(i) === QUOTE ? i + 1 : -1;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  for (
    let c = text.charCodeAt(i);
    c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
    c = text.charCodeAt(i)
  )
    i += 1;
  return i;
}

/** `[from, closing quote)` when that stretch is long and free of backslashes. */
function stringRest(text: string, from: number): Cut | undefined {
  const end = text.indexOf('"', from);
  if (end < 0 || end - from < MIN_CUT_CHARS) return undefined;
  const backslash = text.indexOf('\\', from);
  if (backslash >= 0 && backslash < end) return undefined;
  return [from, end];
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

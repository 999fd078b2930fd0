/**
 * Small text helpers shared by signal extraction and rule matching. Everything here is linear in
 * the (already capped) text and allocation-light: the hot path calls it on every request.
 */

import { compileSafe } from './safe-regex';

const WORD_CHAR = '[\\p{L}\\p{N}_]';
/** Longest regex keyword a rule may contain (same bound as validation). */
export const RULE_REGEX_MAX_LENGTH = 200;

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Turns a plain keyword into a case-insensitive, Unicode-aware regex source that only matches whole
 * words ("nda" must not hit "agenda"). A trailing `*` makes it a prefix ("encrypt*" hits
 * "encryption"); keywords that start or end with punctuation ("cve-", "-----begin") match as is on
 * that side.
 */
export function keywordSource(keyword: string): string {
  const prefix = keyword.endsWith('*');
  const word = (prefix ? keyword.slice(0, -1) : keyword).trim().toLowerCase();
  const escaped = escapeRegExp(word).replace(/\s+/g, '\\s+');
  const startsWithWordChar = /^[\p{L}\p{N}_]/u.test(word);
  const endsWithWordChar = /[\p{L}\p{N}_]$/u.test(word);
  const head = startsWithWordChar ? `(?<!${WORD_CHAR})` : '';
  const tail = !prefix && endsWithWordChar ? `(?!${WORD_CHAR})` : '';
  return `${head}${escaped}${tail}`;
}

/** Counts how many distinct entries of a keyword list occur in a text. */
export interface KeywordMatcher {
  readonly size: number;
  /** Names of the keywords found, in list order. */
  hits(text: string): string[];
}

/**
 * Compiles a keyword list once; each keyword is its own regex so distinct hits can be counted.
 * Regex keywords go through the same safety rules as rule-set validation; an unsafe one throws.
 */
export function compileKeywords(keywords: readonly string[], asRegex = false): KeywordMatcher {
  const entries = keywords.map((keyword) => {
    const pattern = asRegex
      ? compileSafe(keyword, RULE_REGEX_MAX_LENGTH)
      : new RegExp(keywordSource(keyword), 'iu');
    if (!pattern) throw new Error(`unsafe or invalid keyword pattern: ${keyword}`);
    return { keyword, pattern };
  });
  // The same texts come back on every request of an agent loop (the system prompt, the user turn
  // the tool calls answer): the last few results are kept, since a long text costs every regex a
  // full scan (issue 18). Results depend on the text only, so a hit is exact.
  const recent = new Map<string, string[]>();
  return {
    size: entries.length,
    hits(text: string): string[] {
      const known = text.length >= MEMO_MIN_CHARS ? recent.get(text) : undefined;
      if (known) return [...known];
      const found: string[] = [];
      for (const entry of entries) if (entry.pattern.test(text)) found.push(entry.keyword);
      if (text.length >= MEMO_MIN_CHARS) {
        if (recent.size >= MEMO_ENTRIES) recent.delete(recent.keys().next().value as string);
        recent.set(text, [...found]);
      }
      return found;
    },
  };
}

/** Texts shorter than this are matched every time (cheaper than hashing them as a key). */
const MEMO_MIN_CHARS = 512;
/** Distinct texts remembered per keyword list (each at most the signal caps, ~10 KB). */
const MEMO_ENTRIES = 8;

/**
 * Keeps the start and the end of a long text: instructions tend to sit at the top of a message and
 * the actual question at the bottom. Texts within the limit are returned unchanged (no copy).
 */
export function headTail(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = Math.ceil(maxChars * 0.75);
  return `${text.slice(0, head)}\n…\n${text.slice(text.length - (maxChars - head))}`;
}

/**
 * Keyword lists matched in one pass over the words of a text (the critical-domain cue's
 * multilingual vocabularies, task-cues.ts).
 */
import { escapeRegExp } from './text-match';

/**
 * A keyword list matched in one pass over the words of a text: single words by set lookup,
 * `prefix*` words by their first three letters, phrases of several words ("blood thinner*",
 * "api-schlüssel", "prud'hommes") as word sequences starting at the word that opens them, and the
 * few entries with punctuation at an edge (".locked", "cve-") by one regex. About 0.1 ms on a
 * 6 000-character message, where one regex per keyword took several ms.
 */
export interface Vocabulary {
  /** Distinct entries found, counting stops at `enough`. */
  count(words: readonly string[], text: string, enough: number): number;
  /** The distinct entries found (added to `into`), stopping when it holds `enough`. */
  collect(words: readonly string[], text: string, enough: number, into?: Set<string>): Set<string>;
}

export const WORD = /[\p{L}\p{N}]+/gu;
const LETTER = /[\p{L}\p{N}]/u;
/** An entry made of words (each optionally a `prefix*`) joined by spaces, hyphens, apostrophes or slashes. */
const WORD_SEQUENCE = /^[\p{L}\p{N}]+\*?(?:[\s'’/&.-]+[\p{L}\p{N}]+\*?)*$/u;

/** One word of an entry: exact, or a prefix of at least three letters. */
interface WordPattern {
  stem: string;
  prefix: boolean;
}

function wordMatches(pattern: WordPattern, word: string | undefined): boolean {
  if (word === undefined) return false;
  return pattern.prefix ? word.startsWith(pattern.stem) : word === pattern.stem;
}

/** Index of single words and word sequences by their first word (exact, or by 3-letter prefix key). */
class FirstWordIndex<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly prefixes = new Map<string, { stem: string; value: T }[]>();

  add(first: WordPattern, value: T): void {
    if (first.prefix) {
      const key = first.stem.slice(0, 3);
      this.prefixes.set(key, [...(this.prefixes.get(key) ?? []), { stem: first.stem, value }]);
    } else this.exact.set(first.stem, [...(this.exact.get(first.stem) ?? []), value]);
  }

  /** Calls `visit` for every entry whose first word matches `word`. */
  forEach(word: string, visit: (value: T) => void): void {
    const exact = this.exact.get(word);
    if (exact) for (const value of exact) visit(value);
    if (word.length < 3) return;
    const candidates = this.prefixes.get(word.slice(0, 3));
    if (candidates) for (const { stem, value } of candidates) if (word.startsWith(stem)) visit(value);
  }
}

export function compileVocabulary(keywords: readonly string[]): Vocabulary {
  /** Entries by their first word; the rest of the entry's words follow. */
  const index = new FirstWordIndex<{ key: string; rest: WordPattern[] }>();
  const phrases: string[] = [];
  /** Phrases that must end at a word boundary (the others are prefixes). */
  const openEnded = new Set<string>();
  for (const raw of keywords) {
    const keyword = raw.toLowerCase();
    const tokens = WORD_SEQUENCE.test(keyword)
      ? (keyword.match(/[\p{L}\p{N}]+\*?/gu) ?? []).map((token): WordPattern =>
          token.endsWith('*') ? { stem: token.slice(0, -1), prefix: true } : { stem: token, prefix: false },
        )
      : [];
    // A prefix needs three letters (shorter ones would match half the language).
    if (tokens.length > 0 && tokens.every((token) => !token.prefix || token.stem.length >= 3)) {
      const [first, ...rest] = tokens as [WordPattern, ...WordPattern[]];
      index.add(first, { key: keyword, rest });
      continue;
    }
    const isPrefix = keyword.endsWith('*');
    const stem = isPrefix ? keyword.slice(0, -1) : keyword;
    // Word boundaries are checked after a match: lookarounds in every alternative are slow.
    phrases.push(escapeRegExp(stem).replace(/\s+/g, '\\s+'));
    if (!isPrefix) openEnded.add(stem);
  }
  const phrase = phrases.length > 0 ? new RegExp(phrases.join('|'), 'gu') : null;
  const vocabulary: Vocabulary = {
    count(words, text, enough) {
      return vocabulary.collect(words, text, enough).size;
    },
    collect(words, text, enough, into) {
      const found = into ?? new Set<string>();
      if (found.size >= enough) return found;
      for (let position = 0; position < words.length; position += 1) {
        // One word is one hit: "steuererklärung" counts once although `steuer*` matches it too.
        let single = false;
        index.forEach(words[position] as string, ({ key, rest }) => {
          if (rest.length === 0) {
            if (!single) found.add(key);
            single = true;
          } else if (rest.every((pattern, offset) => wordMatches(pattern, words[position + 1 + offset])))
            found.add(key);
        });
        if (found.size >= enough) return found;
      }
      if (phrase) {
        for (const match of text.matchAll(phrase)) {
          const hit = match[0];
          const before = text[match.index - 1] ?? ' ';
          const after = text[match.index + hit.length] ?? ' ';
          if (LETTER.test(hit[0] as string) && LETTER.test(before)) continue;
          if (LETTER.test(hit[hit.length - 1] as string) && LETTER.test(after) && openEnded.has(hit))
            continue;
          found.add(hit);
          if (found.size >= enough) break;
        }
      }
      return found;
    },
  };
  return vocabulary;
}

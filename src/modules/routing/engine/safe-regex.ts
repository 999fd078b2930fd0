/**
 * Admin-supplied regexes run on every request, so a pattern that backtracks badly is a denial of
 * service (JavaScript regexes cannot be interrupted; `\w*\w*x` alone needs minutes on a few
 * thousand characters). Instead of timing a pattern we bound its work by construction:
 *
 *  - at most {@link MAX_REGEX_LENGTH} characters, no backreferences;
 *  - no repeated group that itself contains a quantifier or an alternation (`(a+)+`, `(a|aa)*`);
 *  - unbounded repetition (`*`, `+`, `{n,}`) is capped at {@link REPETITION_CAP} repetitions when
 *    the pattern is compiled;
 *  - the product of (maximum repetitions + 1) over all quantifiers stays within
 *    {@link BACKTRACKING_BUDGET}, which bounds the steps tried at each start position.
 *
 * In practice: one `+`, `*` or `{0,60}` per pattern plus a couple of `?`; write literal spaces
 * instead of `\s+` between words. On a 6000-character message this bounds a pattern to about a
 * million steps.
 */

export const MAX_REGEX_LENGTH = 300;
export const REPETITION_CAP = 50;
export const BACKTRACKING_BUDGET = 250;
export const REGEX_FLAGS = 'iu';

interface GroupFrame {
  hasQuantifier: boolean;
  hasAlternation: boolean;
}

interface Quantifier {
  /** Characters the quantifier occupies in the source (including a lazy `?`). */
  length: number;
  max: number;
  /** Source text to compile instead (unbounded repetition capped). */
  replacement: string;
}

function quantifierAt(source: string, index: number): Quantifier | null {
  const char = source[index];
  let length: number;
  let min: number;
  let max: number;
  if (char === '*' || char === '+' || char === '?') {
    length = 1;
    min = char === '+' ? 1 : 0;
    max = char === '?' ? 1 : Infinity;
  } else if (char === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index, index + 16));
    if (!match) return null;
    length = match[0].length;
    min = Number(match[1]);
    max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
  } else {
    return null;
  }
  const lazy = source[index + length] === '?';
  if (lazy) length += 1;
  const capped = Math.min(max, Math.max(min, REPETITION_CAP));
  const replacement =
    max === Infinity ? `{${min},${capped}}${lazy ? '?' : ''}` : source.slice(index, index + length);
  return { length, max: capped, replacement };
}

export type RegexAnalysis = { ok: true; source: string } | { ok: false; reason: string };

/** Checks a pattern and returns the source to compile (with unbounded repetition capped). */
export function analyseRegex(source: string, maxLength = MAX_REGEX_LENGTH): RegexAnalysis {
  const fail = (reason: string): RegexAnalysis => ({ ok: false, reason });
  if (source.length === 0) return fail('must not be empty');
  if (source.length > maxLength) return fail(`must be at most ${maxLength} characters`);
  try {
    new RegExp(source, REGEX_FLAGS);
  } catch (error) {
    return fail(
      `is not a valid regular expression (${error instanceof Error ? error.message : 'syntax error'})`,
    );
  }
  if (/\\[1-9]|\\k</.test(source)) return fail('must not use backreferences');

  const stack: GroupFrame[] = [{ hasQuantifier: false, hasAlternation: false }];
  let output = '';
  let budget = 1;
  let inClass = false;
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index] as string;
    if (char === '\\') {
      output += source.slice(index, index + 2);
      index += 1;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      output += char;
      continue;
    }
    const frame = stack[stack.length - 1] as GroupFrame;
    if (char === '[') {
      inClass = true;
      output += char;
      continue;
    }
    if (char === '(') {
      stack.push({ hasQuantifier: false, hasAlternation: false });
      // copy group modifiers such as (?: (?= (?! (?<= (?<!
      let skip = 0;
      if (source[index + 1] === '?')
        skip = source[index + 2] === '<' && /[=!]/.test(source[index + 3] ?? '') ? 3 : 2;
      output += source.slice(index, index + 1 + skip);
      index += skip;
      continue;
    }
    if (char === '|') {
      frame.hasAlternation = true;
      output += char;
      continue;
    }
    if (char === ')') {
      const closed = stack.pop() as GroupFrame;
      const parent = stack[stack.length - 1];
      if (!parent) return fail('has an unbalanced parenthesis');
      output += char;
      const quantifier = quantifierAt(source, index + 1);
      if (quantifier) {
        if (quantifier.max > 1 && (closed.hasQuantifier || closed.hasAlternation)) {
          return fail(
            'must not repeat a group that itself contains a quantifier or alternation (catastrophic backtracking)',
          );
        }
        budget *= quantifier.max + 1;
        parent.hasQuantifier = true;
        output += quantifier.replacement;
        index += quantifier.length;
      }
      parent.hasQuantifier ||= closed.hasQuantifier;
      continue;
    }
    const quantifier = index > 0 ? quantifierAt(source, index) : null;
    if (quantifier) {
      budget *= quantifier.max + 1;
      frame.hasQuantifier = true;
      output += quantifier.replacement;
      index += quantifier.length - 1;
      continue;
    }
    output += char;
  }
  if (budget > BACKTRACKING_BUDGET) {
    return fail(
      'allows too much backtracking: use at most one unbounded quantifier (*, +) plus a couple of ?, and literal spaces instead of \\s+ between words',
    );
  }
  return { ok: true, source: output };
}

/** Returns a reason when the pattern is unsafe or invalid, or null when it may be used. */
export function checkRegexSafety(source: string, maxLength = MAX_REGEX_LENGTH): string | null {
  const analysis = analyseRegex(source, maxLength);
  return analysis.ok ? null : analysis.reason;
}

/** Compiles a pattern with the same rules as validation; null for unsafe or invalid patterns. */
export function compileSafe(source: string, maxLength = MAX_REGEX_LENGTH): RegExp | null {
  const analysis = analyseRegex(source, maxLength);
  return analysis.ok ? new RegExp(analysis.source, REGEX_FLAGS) : null;
}

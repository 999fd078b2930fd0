/**
 * Admin-supplied regexes run on every request, so a pattern that can backtrack catastrophically is a
 * denial of service. We accept a conservative subset: bounded length, no backreferences, and no
 * group that is repeated without bound while containing a quantifier or an alternation (the shapes
 * behind `(a+)+`, `(a|aa)*`, `(\w+\s?)*`). As a second line, each accepted pattern must finish a few
 * adversarial probes quickly.
 */

export const MAX_REGEX_LENGTH = 300;
const MAX_UNBOUNDED_QUANTIFIERS = 6;
const PROBE_BUDGET_MS = 25;
const PROBES = [
  'a'.repeat(2500) + '!',
  ' '.repeat(2500) + '!',
  'ab1 '.repeat(600) + '\u0000',
  '\t\n'.repeat(1200) + 'x',
];

export const REGEX_FLAGS = 'iu';

interface GroupFrame {
  hasQuantifier: boolean;
  hasAlternation: boolean;
}

/** Reads the quantifier starting at `index`, if any; returns its length and whether it is unbounded. */
function quantifierAt(
  source: string,
  index: number,
): { length: number; unbounded: boolean; repeats: boolean } | null {
  const char = source[index];
  let length = 0;
  let unbounded = false;
  let repeats = false;
  if (char === '*' || char === '+') {
    length = 1;
    unbounded = true;
    repeats = true;
  } else if (char === '?') {
    length = 1;
  } else if (char === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index, index + 16));
    if (!match) return null;
    length = match[0].length;
    const min = Number(match[1]);
    const hasComma = match[2] !== undefined;
    const max = hasComma ? (match[3] === '' ? Infinity : Number(match[3])) : min;
    unbounded = max === Infinity;
    repeats = max > 1;
  } else {
    return null;
  }
  if (source[index + length] === '?') length += 1; // lazy modifier
  return { length, unbounded, repeats };
}

/** Returns a reason when the pattern is unsafe or invalid, or null when it may be used. */
export function checkRegexSafety(source: string, maxLength = MAX_REGEX_LENGTH): string | null {
  if (source.length === 0) return 'must not be empty';
  if (source.length > maxLength) return `must be at most ${maxLength} characters`;
  try {
    new RegExp(source, REGEX_FLAGS);
  } catch (error) {
    return `is not a valid regular expression (${error instanceof Error ? error.message : 'syntax error'})`;
  }
  if (/\\[1-9]|\\k</.test(source)) return 'must not use backreferences';

  const stack: GroupFrame[] = [{ hasQuantifier: false, hasAlternation: false }];
  let unboundedCount = 0;
  let inClass = false;
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index];
    if (char === '\\') {
      index += 1;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    const frame = stack[stack.length - 1] as GroupFrame;
    if (char === '[') {
      inClass = true;
    } else if (char === '(') {
      stack.push({ hasQuantifier: false, hasAlternation: false });
      // skip group modifiers such as (?: (?= (?<name>
      if (source[index + 1] === '?')
        index += source[index + 2] === '<' && /[=!]/.test(source[index + 3] ?? '') ? 3 : 2;
    } else if (char === '|') {
      frame.hasAlternation = true;
    } else if (char === ')') {
      const closed = stack.pop() as GroupFrame;
      const parent = stack[stack.length - 1];
      if (!parent) return 'has an unbalanced parenthesis';
      const quantifier = quantifierAt(source, index + 1);
      if (quantifier) {
        if (quantifier.unbounded) unboundedCount += 1;
        if (quantifier.repeats && (closed.hasQuantifier || closed.hasAlternation)) {
          return 'must not repeat a group that itself contains a quantifier or alternation (catastrophic backtracking)';
        }
        parent.hasQuantifier = true;
        index += quantifier.length;
      }
      parent.hasQuantifier ||= closed.hasQuantifier;
    } else {
      const quantifier = quantifierAt(source, index);
      if (quantifier && index > 0) {
        if (quantifier.unbounded) unboundedCount += 1;
        frame.hasQuantifier = true;
        index += quantifier.length - 1;
      }
    }
  }
  if (unboundedCount > MAX_UNBOUNDED_QUANTIFIERS) {
    return `must use at most ${MAX_UNBOUNDED_QUANTIFIERS} unbounded quantifiers (*, +, {n,})`;
  }

  const pattern = new RegExp(source, REGEX_FLAGS);
  const started = performance.now();
  for (const probe of PROBES) {
    pattern.test(probe);
    if (performance.now() - started > PROBE_BUDGET_MS) return 'is too slow on long inputs';
  }
  return null;
}

/** Compiles a pattern already vetted by {@link checkRegexSafety}; returns null instead of throwing. */
export function compileSafe(source: string): RegExp | null {
  try {
    return new RegExp(source, REGEX_FLAGS);
  } catch {
    return null;
  }
}

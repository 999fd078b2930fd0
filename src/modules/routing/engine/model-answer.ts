/**
 * Reading a model's chat answer, shared by the LLM classifier (router) and the admin suites
 * (case generation, run evaluation): the text of the first choice, and the JSON value inside it.
 */

/** The assistant text of the first choice of an OpenAI-style chat answer; undefined when absent. */
export function firstChoiceText(body: unknown): string | undefined {
  const choices = (body as { choices?: { message?: { content?: unknown } }[] } | null)?.choices;
  const content = Array.isArray(choices) ? choices[0]?.message?.content : undefined;
  return typeof content === 'string' ? content : undefined;
}

/**
 * What a caller accepts as the answer's JSON. One parser with two deliberate modes instead of the
 * suites' forgiving rules everywhere: the classifier's answer is one small object, and a malformed
 * one must stay a failed attempt (the chain moves on to its next classifier) rather than be
 * repaired into a guess; generated suites are long lists where a trailing comma is a common slip
 * worth forgiving.
 */
export interface JsonAnswerMode {
  /** `object`: only `{…}`; `any`: `{…}` or `[…]`, whichever opens first (arrays may hold objects). */
  value: 'object' | 'any';
  /** Retry with trailing commas before `}`/`]` removed. */
  forgiveTrailingCommas: boolean;
}

/** The classifier's rule: exactly one JSON object, parsed strictly. */
export const STRICT_OBJECT: JsonAnswerMode = { value: 'object', forgiveTrailingCommas: false };
/** The suites' rule: an object or an array, trailing commas forgiven. */
export const LENIENT_VALUE: JsonAnswerMode = { value: 'any', forgiveTrailingCommas: true };

const OBJECT: readonly [string, string] = ['{', '}'];
const ARRAY: readonly [string, string] = ['[', ']'];

/**
 * The JSON value of a model's answer: a fenced block first, else the whole text, each cut from the
 * first opening to the last closing bracket of the accepted kind. Undefined when nothing parses.
 */
export function jsonFromAnswer(text: string, mode: JsonAnswerMode): unknown {
  const candidates: string[] = [];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fenced?.[1]) candidates.push(fenced[1]);
  candidates.push(text);
  for (const candidate of candidates) {
    for (const [open, close] of bracketOrder(candidate, mode)) {
      const start = candidate.indexOf(open);
      const end = candidate.lastIndexOf(close);
      if (start === -1 || end <= start) continue;
      const slice = candidate.slice(start, end + 1);
      const attempts = mode.forgiveTrailingCommas ? [slice, slice.replace(/,\s*([}\]])/g, '$1')] : [slice];
      for (const attempt of attempts) {
        try {
          return JSON.parse(attempt) as unknown;
        } catch {
          // next attempt, bracket kind or candidate
        }
      }
    }
  }
  return undefined;
}

/** The outer value is whichever bracket opens first (an object may contain arrays and vice versa). */
function bracketOrder(candidate: string, mode: JsonAnswerMode): readonly (readonly [string, string])[] {
  if (mode.value === 'object') return [OBJECT];
  const brace = candidate.indexOf('{');
  const bracket = candidate.indexOf('[');
  return bracket !== -1 && (brace === -1 || bracket < brace) ? [ARRAY, OBJECT] : [OBJECT, ARRAY];
}

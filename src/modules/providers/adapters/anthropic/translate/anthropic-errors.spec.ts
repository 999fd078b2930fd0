import { join } from 'node:path';

import type { AnthropicHttpError } from '../../wire/anthropic.types';
import type { OpenAIHttpError } from '../../wire/openai.types';
import { loadGoldenCases } from '../../wire/testing/golden-fixtures';
import {
  anthropicErrorToOpenAI,
  anthropicStatusFor,
  openAIErrorToAnthropic,
  statusForOpenAIErrorType,
} from './anthropic-errors';

interface Fixture<TExpected> {
  description: string;
  status?: number;
  body: unknown;
  expected: TExpected;
}

const toOpenAI = loadGoldenCases<Fixture<OpenAIHttpError>>(join(__dirname, '__golden__', 'errors-to-openai'));
const toAnthropic = loadGoldenCases<Fixture<AnthropicHttpError>>(
  join(__dirname, '__golden__', 'errors-to-anthropic'),
);

describe('anthropicErrorToOpenAI (golden)', () => {
  it.each(toOpenAI)('$name', ({ fixture }) => {
    expect(anthropicErrorToOpenAI(fixture.status, fixture.body)).toEqual(fixture.expected);
  });
});

describe('openAIErrorToAnthropic (golden)', () => {
  it.each(toAnthropic)('$name', ({ fixture }) => {
    expect(openAIErrorToAnthropic(fixture.status ?? 500, fixture.body)).toEqual(fixture.expected);
  });
});

describe('status helpers', () => {
  it('maps only 503 to Anthropic 529', () => {
    expect([400, 401, 429, 500, 502, 503, 504].map(anthropicStatusFor)).toEqual([
      400, 401, 429, 500, 502, 529, 504,
    ]);
  });

  it('derives a status from an OpenAI error type for mid-stream errors', () => {
    expect(statusForOpenAIErrorType('rate_limit_error')).toBe(429);
    expect(statusForOpenAIErrorType('something_else')).toBe(500);
  });
});

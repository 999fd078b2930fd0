import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TranslationError } from '../translation.errors';

/**
 * Golden fixtures: one JSON file per case under a `__golden__/<translation>/` folder, with the
 * translator input and the exact expected output (or the expected error). Used by the specs only.
 */
export interface GoldenCase<TFixture> {
  name: string;
  fixture: TFixture;
}

export interface ExpectedTranslationError {
  status: number;
  code: string;
  param?: string;
}

export function loadGoldenCases<TFixture>(dir: string): GoldenCase<TFixture>[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`no golden fixtures in ${dir}`);
  return files.map((file) => ({
    name: file.replace(/\.json$/, ''),
    fixture: JSON.parse(readFileSync(join(dir, file), 'utf8')) as TFixture,
  }));
}

/** Binary fields (`Uint8Array`) written as `{ "$bytes": "<base64>" }` so they fit in a JSON fixture. */
export function withBytesAsBase64(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(withBytesAsBase64);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withBytesAsBase64(item)]));
  }
  return value;
}

/** Status, code and param of the TranslationError `translate` throws; anything else fails the test. */
export function thrownTranslationError(translate: () => unknown): ExpectedTranslationError {
  try {
    translate();
  } catch (error) {
    if (!(error instanceof TranslationError)) throw error;
    const { status, code, param } = error;
    return { status, code, param };
  }
  throw new Error('expected a TranslationError, but the translation succeeded');
}

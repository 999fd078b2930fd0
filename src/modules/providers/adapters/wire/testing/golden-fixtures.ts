import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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

import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import 'reflect-metadata';

import { APP_VERSION, createApp } from '../app.factory';
import { loadConfig } from '../core/config';
import { createRootLogger } from '../core/logging/pino-logger';
import { buildOpenApiDocument, serializeDocument } from '../core/openapi/openapi';

/**
 * Writes openapi/admin-api.json from the code (control role, Nest preview mode: no provider is
 * instantiated, so no database is needed).
 * `--check` exits 1 when the checked-in file differs, so CI catches a forgotten regeneration.
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const target = resolve(__dirname, '../../openapi/admin-api.json');
  const config = loadConfig({
    NODE_ENV: 'test',
    NODE_ROLE: 'control',
    MONGODB_URI: 'mongodb://127.0.0.1:1/openapi-generation',
    LOG_LEVEL: 'silent',
  });
  const app = await createApp(config, { logger: createRootLogger('silent', false), bare: true });
  const spec = serializeDocument(buildOpenApiDocument(app, APP_VERSION));
  await app.close().catch(() => undefined);
  if (check) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // missing file counts as drift
    }
    if (current !== spec) {
      process.stderr.write(
        'openapi/admin-api.json is out of date: run `npm run openapi` and commit the result\n',
      );
      process.exit(1);
    }
    process.stdout.write('openapi/admin-api.json is up to date\n');
  } else {
    writeFileSync(target, spec);
    process.stdout.write(`wrote ${target}\n`);
  }
  process.exit(0);
}

void main();

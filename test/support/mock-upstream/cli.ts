/**
 * Runs the mock upstream standalone (manual testing, benchmark):
 *   node --import tsx test/support/mock-upstream/cli.ts --port 4010 [--host 127.0.0.1] [--require-key sk-test] [--record-limit 1000]
 */
import { parseArgs } from 'node:util';

import { startMockUpstream } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      'require-key': { type: 'string' },
      'record-limit': { type: 'string', default: '1000' },
    },
  });
  const mock = await startMockUpstream({
    port: Number(values.port),
    host: values.host,
    requireKey: values['require-key'],
    recordLimit: Number(values['record-limit']),
  });
  process.stdout.write(`mock upstream listening on ${mock.url}\n`);
  const stop = (): void => {
    void mock.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`mock upstream failed to start: ${String(error)}\n`);
  process.exit(1);
});

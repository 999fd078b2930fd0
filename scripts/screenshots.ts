/**
 * Regenerates docs/screenshots/*.png: builds the console when needed, then runs
 * test/browser/screenshots.capture.ts (real server, test database, mock upstream, Chromium).
 *
 *   node --import tsx scripts/screenshots.ts [--no-build]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..');
const skipBuild = process.argv.includes('--no-build');

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!skipBuild || !existsSync(resolve(root, 'admin-ui/dist/admin-ui/browser/index.html'))) {
  run('npm', ['run', 'build'], resolve(root, 'admin-ui'));
}
run(
  process.execPath,
  [
    resolve(root, 'node_modules/jest/bin/jest.js'),
    '--config',
    'test/browser/jest.config.js',
    '--testRegex',
    'screenshots\\.capture\\.ts$',
  ],
  root,
);
console.log('screenshots written to docs/screenshots/');

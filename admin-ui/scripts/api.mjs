// Generates the typed admin API client (src/app/api) from ../openapi/admin-api.json, or checks that
// the checked-in client matches the spec. `node scripts/api.mjs generate | check`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const config = join(root, 'ng-openapi-gen.json');
const clientDir = join(root, 'src/app/api');
const spec = resolve(root, '../openapi/admin-api.json');

function generate(output) {
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/ng-openapi-gen/lib/index.js'),
      '--config',
      config,
      '--input',
      spec,
      '--output',
      output,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

function listFiles(dir) {
  const files = [];
  const walk = (current) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(dir, path));
    }
  };
  walk(dir);
  return files.sort();
}

function check() {
  const temp = mkdtempSync(join(tmpdir(), 'prism-api-'));
  try {
    const fresh = join(temp, 'api');
    generate(fresh);
    const expected = listFiles(fresh);
    const actual = listFiles(clientDir);
    const problems = [];
    for (const file of expected) {
      if (!actual.includes(file)) problems.push(`missing  ${file}`);
      else if (readFileSync(join(fresh, file), 'utf8') !== readFileSync(join(clientDir, file), 'utf8'))
        problems.push(`changed  ${file}`);
    }
    for (const file of actual) if (!expected.includes(file)) problems.push(`stale    ${file}`);
    if (problems.length > 0) {
      console.error(
        `src/app/api is out of date with openapi/admin-api.json:\n  ${problems.join('\n  ')}\n` +
          'Run `npm run api:generate` in admin-ui and commit the result.',
      );
      process.exit(1);
    }
    console.log(`src/app/api matches openapi/admin-api.json (${expected.length} files)`);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

const command = process.argv[2];
if (command === 'generate') {
  generate(clientDir);
  console.log(`generated ${listFiles(clientDir).length} files in src/app/api`);
} else if (command === 'check') {
  check();
} else {
  console.error('usage: node scripts/api.mjs generate|check');
  process.exit(2);
}

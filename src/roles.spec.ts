import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CONTROL_MODULES, modulesForRole, WORKER_MODULES } from './roles';

describe('roles', () => {
  it('full boots exactly the union of control and worker', () => {
    const union = new Set([...CONTROL_MODULES, ...WORKER_MODULES]);
    expect(new Set(modulesForRole('full'))).toEqual(union);
    expect(modulesForRole('full')).toHaveLength(union.size);
  });

  it('control and worker boot only their own lists', () => {
    expect(modulesForRole('control')).toEqual([...CONTROL_MODULES]);
    expect(modulesForRole('worker')).toEqual([...WORKER_MODULES]);
  });

  it('no admin module is booted by a worker', () => {
    const adminInWorker = WORKER_MODULES.filter((m) => /Admin/.test(m.name));
    expect(adminInWorker).toEqual([]);
  });

  it('lists every feature module (the *.module.ts files at the top of each module folder)', () => {
    const listed = new Set([...CONTROL_MODULES, ...WORKER_MODULES].map((m) => m.name));
    const root = join(__dirname, 'modules');
    const declared = readdirSync(root).flatMap((folder) =>
      readdirSync(join(root, folder))
        .filter((file) => file.endsWith('.module.ts'))
        .flatMap((file) =>
          [...readFileSync(join(root, folder, file), 'utf8').matchAll(/export class (\w+Module)\b/g)].map(
            (match) => match[1],
          ),
        ),
    );
    expect(declared.length).toBeGreaterThan(10);
    expect(declared.filter((name) => !listed.has(name!))).toEqual([]);
  });
});

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
});

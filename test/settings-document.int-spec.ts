import mongoose, { type Connection } from 'mongoose';

import { SettingsDocument } from '../src/core/database/settings-document';

interface Knobs {
  limit: number;
  label: string;
  tags: string[];
}

describe('SettingsDocument against the test database', () => {
  let connection: Connection;
  const doc = (id: string) =>
    new SettingsDocument<Knobs>(connection, {
      collection: 'settings_test',
      id,
      defaults: () => ({ limit: 10, label: 'none', tags: [] }),
    });

  beforeAll(async () => {
    connection = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('reads the defaults until written, then stored fields over the defaults', async () => {
    const knobs = doc('read');
    expect(await knobs.read()).toEqual({ limit: 10, label: 'none', tags: [] });
    expect(await knobs.exists()).toBe(false);
    await knobs.write({ limit: 3 });
    const read = await knobs.read();
    expect(read).toMatchObject({ limit: 3, label: 'none', tags: [] });
    expect(read.updatedAt).toBeInstanceOf(Date);
    expect(read).not.toHaveProperty('_id');
    expect(await knobs.readField('limit')).toBe(3);
    expect(await knobs.readField('label')).toBe('none');
  });

  it('writeOnce keeps the first values', async () => {
    const knobs = doc('once');
    await knobs.writeOnce({ label: 'first' });
    await knobs.writeOnce({ label: 'second' });
    expect((await knobs.read()).label).toBe('first');
  });

  it('exactly one of concurrent claims wins; remove gives the claim back', async () => {
    const knobs = doc('claim');
    const results = await Promise.all([1, 2, 3, 4].map((n) => knobs.claim({ limit: n })));
    expect(results.filter(Boolean)).toHaveLength(1);
    await knobs.remove();
    expect(await knobs.claim({ limit: 9 })).toBe(true);
  });

  it('concurrent first writes all land (no duplicate-key error)', async () => {
    const knobs = doc('race');
    await Promise.all([1, 2, 3, 4].map((n) => knobs.write({ limit: n })));
    expect([1, 2, 3, 4]).toContain((await knobs.read()).limit);
  });
});

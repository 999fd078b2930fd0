import { loadConfig } from './app-config';
import { ConfigError } from './environment';

const strongSecret = 's'.repeat(40);
const key = 'a'.repeat(64);

describe('loadConfig', () => {
  it('uses safe defaults outside production', () => {
    const config = loadConfig({});
    expect(config.role).toBe('full');
    expect(config.port).toBe(3000);
    expect(config.mongodbUri).toBeUndefined();
    expect(config.encryptionKey).toHaveLength(32);
    expect(config.warnings.join(' ')).toMatch(/JWT_SECRET/);
  });

  it('rejects an unknown NODE_ROLE with a one-line reason naming the variable', () => {
    expect(() => loadConfig({ NODE_ROLE: 'banana' })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ROLE: 'banana' });
    } catch (error) {
      expect((error as Error).message).toMatch(/^Invalid environment: NODE_ROLE="banana" /);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it.each([
    [{ PORT: '70000' }, /PORT/],
    [{ MONGODB_URI: 'postgres://x' }, /MONGODB_URI/],
    [{ ENCRYPTION_KEY: 'short' }, /ENCRYPTION_KEY=\(hidden\)/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ HSTS_MAX_AGE: '-1' }, /HSTS_MAX_AGE/],
    [{ BOOTSTRAP_ADMIN_USERNAME: 'root' }, /BOOTSTRAP_ADMIN_PASSWORD/],
  ])('rejects invalid %j', (env, reason) => {
    expect(() => loadConfig(env)).toThrow(reason);
  });

  it('refuses to boot in production without a strong JWT_SECRET', () => {
    const base = { NODE_ENV: 'production', ENCRYPTION_KEY: key, MONGODB_URI: 'mongodb://db/prism' };
    expect(() => loadConfig(base)).toThrow(/JWT_SECRET must be set to at least 32 characters/);
    expect(() => loadConfig({ ...base, JWT_SECRET: 'x'.repeat(20) })).toThrow(/JWT_SECRET/);
  });

  it('refuses to boot in production without ENCRYPTION_KEY or MONGODB_URI', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: strongSecret, MONGODB_URI: 'mongodb://db/prism' }),
    ).toThrow(/ENCRYPTION_KEY must be set/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: strongSecret, ENCRYPTION_KEY: key }),
    ).toThrow(/MONGODB_URI must be set/);
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      NODE_ROLE: 'worker',
      JWT_SECRET: strongSecret,
      ENCRYPTION_KEY: key,
      MONGODB_URI: 'mongodb://db:27017/prism',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      HSTS_MAX_AGE: '31536000',
    });
    expect(config.isProduction).toBe(true);
    expect(config.role).toBe('worker');
    expect(config.encryptionKey.equals(Buffer.from(key, 'hex'))).toBe(true);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.hstsMaxAgeSeconds).toBe(31536000);
    expect(config.warnings).toEqual([]);
  });

  it('warns that OFFLINE is no longer read (nothing calls out unless configured)', () => {
    expect(loadConfig({ NODE_ENV: 'test', OFFLINE: 'true' }).warnings).toContainEqual(
      expect.stringContaining('OFFLINE is no longer read'),
    );
    expect(loadConfig({ NODE_ENV: 'test' }).hstsMaxAgeSeconds).toBe(0);
  });
});

import { createHash } from 'node:crypto';

import { type GatewayHttpError } from '../../../../core/http/gateway-http.error';
import * as apiKeys from '../../../tenants/api-key.util';
import { OPENAI_INGRESS } from '../../ingress/openai.ingress';
import { chatContext, FakeConfigSource, keyView, tenantView } from '../../testing/gateway-fixtures';
import { GatewayContext } from '../gateway-context';
import { AuthStage } from './auth.stage';

const KEY = 'omp-' + 'a'.repeat(64);
const hash = (key: string): string => createHash('sha256').update(key).digest('hex');

function request(headers: {
  authorization?: string;
  apiKeyHeader?: string;
  tenantSlug?: string;
  connection?: object;
}): GatewayContext {
  const ctx = chatContext({ model: 'm' });
  Object.assign(ctx, headers);
  return ctx;
}

async function codeOf(stage: AuthStage, ctx: GatewayContext): Promise<string | undefined> {
  try {
    await stage.run(ctx);
    return undefined;
  } catch (error) {
    return (error as GatewayHttpError).code;
  }
}

describe('AuthStage', () => {
  const tenant = tenantView();
  let source: FakeConfigSource;
  let stage: AuthStage;

  beforeEach(() => {
    source = new FakeConfigSource([], [], new Map([[hash(KEY), { tenant, key: keyView() }]]));
    stage = new AuthStage(source);
  });

  it('resolves a Bearer key (or x-api-key) to its tenant and key', async () => {
    const ctx = request({ authorization: `Bearer ${KEY}` });
    await stage.run(ctx);
    expect(ctx.tenant?.slug).toBe('team');
    expect(ctx.key?.id).toBe('k1');
    const anthropicStyle = request({ apiKeyHeader: KEY });
    await stage.run(anthropicStyle);
    expect(anthropicStyle.tenant?.id).toBe('t1');
  });

  it('hashes a key once per connection, and again when the connection presents another key', async () => {
    const socket = {};
    const known = jest.spyOn(source, 'knownKey');
    const hashed = jest.spyOn(apiKeys, 'hashApiKey');
    source.keys.set(hash('disabled'), { tenant, key: keyView({ enabled: false }) });
    await stage.run(request({ authorization: `Bearer ${KEY}`, connection: socket }));
    expect(await codeOf(stage, request({ authorization: 'Bearer disabled', connection: socket }))).toBe(
      'key_disabled',
    );
    const again = request({ authorization: `Bearer ${KEY}`, connection: socket });
    await stage.run(again);
    expect(again.key?.id).toBe('k1');
    // Another connection with the first key, and the key judged on every request (now disabled).
    source.keys.set(hash(KEY), { tenant, key: keyView({ enabled: false }) });
    expect(await codeOf(stage, request({ authorization: `Bearer ${KEY}`, connection: {} }))).toBe(
      'key_disabled',
    );
    expect(await codeOf(stage, request({ authorization: `Bearer ${KEY}`, connection: socket }))).toBe(
      'key_disabled',
    );
    expect(known.mock.calls.map(([h]) => h)).toEqual([
      hash(KEY),
      hash('disabled'),
      hash(KEY),
      hash(KEY),
      hash(KEY),
    ]);
    // The fifth request repeats its connection's last key: no hash.
    expect(hashed).toHaveBeenCalledTimes(4);
    hashed.mockRestore();
  });

  it('takes the key after any spelling of Bearer and whitespace', async () => {
    for (const authorization of [`bearer ${KEY}`, `BEARER \t ${KEY}  `, `Bearer   ${KEY}`]) {
      const ctx = request({ authorization });
      await stage.run(ctx);
      expect(ctx.key?.id).toBe('k1');
    }
    expect(await codeOf(stage, request({ authorization: `Bearer${KEY}` }))).toBe('invalid_api_key');
    expect(await codeOf(stage, request({ authorization: 'Bearer ' }))).toBe('invalid_api_key');
  });

  it('rejects with the documented 401 codes', async () => {
    expect(await codeOf(stage, request({}))).toBe('missing_api_key');
    expect(await codeOf(stage, request({ authorization: 'Basic abc' }))).toBe('invalid_api_key');
    expect(await codeOf(stage, request({ authorization: 'Bearer omp-unknown' }))).toBe('invalid_api_key');
    expect(await codeOf(stage, request({ authorization: `Bearer ${KEY}`, tenantSlug: 'other' }))).toBe(
      'invalid_api_key',
    );
    source.keys.set(hash('disabled'), { tenant, key: keyView({ enabled: false }) });
    source.keys.set(hash('expired'), { tenant, key: keyView({ expiresAt: new Date(Date.now() - 1) }) });
    source.keys.set(hash('off'), { tenant: tenantView({ active: false }), key: keyView() });
    expect(await codeOf(stage, request({ authorization: 'Bearer disabled' }))).toBe('key_disabled');
    expect(await codeOf(stage, request({ authorization: 'Bearer expired' }))).toBe('key_expired');
    expect(await codeOf(stage, request({ authorization: 'Bearer off' }))).toBe('tenant_disabled');
  });

  it('accepts a console session principal (the playground) without a key, unless its tenant is disabled', async () => {
    const principal = (active: boolean) =>
      new GatewayContext(
        {
          requestId: 'r1',
          endpoint: 'chat',
          clientIp: '127.0.0.1',
          body: {},
          ingress: OPENAI_INGRESS,
          principal: { tenant: tenantView({ active }), username: 'alice' },
        },
        () => 0,
      );
    const ctx = principal(true);
    await stage.run(ctx);
    expect(ctx.tenant?.slug).toBe('team');
    expect(ctx.key).toBeUndefined();
    expect(ctx.user).toBe('alice');
    expect(await codeOf(stage, principal(false))).toBe('tenant_disabled');
  });

  it('judges keys the directory holds without an asynchronous lookup, and asks for the others', async () => {
    const lookups = jest.spyOn(source, 'resolveKeyHash');
    expect(stage.run(request({ authorization: `Bearer ${KEY}` }))).toBeUndefined();
    expect(lookups).not.toHaveBeenCalled();
    source.keys.set(hash('fresh'), { tenant, key: keyView({ id: 'k2' }) });
    source.deferred.add(hash('fresh'));
    const ctx = request({ authorization: 'Bearer fresh' });
    await stage.run(ctx);
    expect(ctx.key?.id).toBe('k2');
    expect(lookups).toHaveBeenCalledTimes(1);
  });

  it('re-checks expiry on every request', async () => {
    const soon = 'soon';
    source.keys.set(hash(soon), { tenant, key: keyView({ expiresAt: new Date(Date.now() + 50) }) });
    await stage.run(request({ authorization: `Bearer ${soon}` }));
    await new Promise((r) => setTimeout(r, 60));
    expect(await codeOf(stage, request({ authorization: `Bearer ${soon}` }))).toBe('key_expired');
  });

  it('records last use at most once a minute per key', async () => {
    for (let i = 0; i < 5; i++) await stage.run(request({ authorization: `Bearer ${KEY}` }));
    expect(source.touched).toEqual(['k1']);
  });
});

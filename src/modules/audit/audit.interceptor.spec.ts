import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { defer, lastValueFrom, of } from 'rxjs';

import { ClientIpResolver } from '../../core/http/client-ip';
import { AuditInterceptor } from './audit.interceptor';
import type { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { Audited, SkipAudit } from './audited.decorator';

class Handlers {
  plain(): void {}
  @Audited('tenant.rename', { targetType: 'tenant' })
  named(): void {}
  @SkipAudit()
  skipped(): void {}
}

function setup() {
  const inserted: Record<string, unknown>[] = [];
  const repository = {
    insert: async (e: Record<string, unknown>) => void inserted.push(e),
  } as unknown as AuditRepository;
  const service = new AuditService(repository);
  const interceptor = new AuditInterceptor(new Reflector(), service, new ClientIpResolver());
  function context(handler: keyof Handlers, request: Record<string, unknown>): ExecutionContext {
    return {
      getType: () => 'http',
      getHandler: () => Handlers.prototype[handler],
      getClass: () => Handlers,
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext;
  }
  return { inserted, service, interceptor, context };
}

const user = {
  id: 'u1',
  username: 'alice',
  role: 'admin',
  tenantIds: [],
  source: 'local',
  mustChangePassword: false,
};
const request = (overrides: Record<string, unknown> = {}) => ({
  url: '/api/prism/admin/tenants/t1',
  method: 'PATCH',
  raw: { headers: { 'x-forwarded-for': '203.0.113.9' }, socket: { remoteAddress: '198.51.100.4' } },
  id: 'req-1',
  user,
  params: { id: 't1' },
  body: { name: 'New name', apiKey: 'secret' },
  routeOptions: { url: '/api/prism/admin/tenants/:id' },
  ...overrides,
});

describe('AuditInterceptor', () => {
  it('writes a generic entry for an authenticated admin mutation, body masked', async () => {
    const { inserted, interceptor, context } = setup();
    const next: CallHandler = { handle: () => of({ id: 't1' }) };
    await lastValueFrom(interceptor.intercept(context('plain', request()), next));
    expect(inserted).toHaveLength(1);
    expect(inserted[0]).toMatchObject({
      actor: { id: 'u1', username: 'alice', role: 'admin' },
      action: 'tenants.patch',
      targetType: 'tenants',
      targetId: 't1',
      ip: '198.51.100.4',
      requestId: 'req-1',
      details: {
        route: 'PATCH /api/prism/admin/tenants/:id',
        body: { name: 'New name', apiKey: '********' },
      },
    });
  });

  it('uses the @Audited name, and writes nothing for @SkipAudit, reads or anonymous calls', async () => {
    const { inserted, interceptor, context } = setup();
    const next: CallHandler = { handle: () => of(null) };
    await lastValueFrom(interceptor.intercept(context('named', request()), next));
    expect(inserted[0]).toMatchObject({ action: 'tenant.rename', targetType: 'tenant' });
    await lastValueFrom(interceptor.intercept(context('skipped', request()), next));
    await lastValueFrom(interceptor.intercept(context('plain', request({ method: 'GET' })), next));
    await lastValueFrom(interceptor.intercept(context('plain', request({ user: undefined })), next));
    await lastValueFrom(
      interceptor.intercept(context('plain', request({ url: '/v1/chat/completions' })), next),
    );
    expect(inserted).toHaveLength(1);
  });

  it('skips the generic entry when the handler recorded its own, which inherits actor, IP and request id', async () => {
    const { inserted, interceptor, context, service } = setup();
    const next: CallHandler = {
      handle: () =>
        defer(async () => {
          await service.record({
            action: 'tenant.update',
            target: { type: 'tenant', id: 't1' },
            before: { a: 1 },
            after: { a: 2 },
          });
          return { id: 't1' };
        }),
    };
    await lastValueFrom(interceptor.intercept(context('plain', request()), next));
    expect(inserted).toHaveLength(1);
    expect(inserted[0]).toMatchObject({
      action: 'tenant.update',
      actor: { username: 'alice' },
      ip: '198.51.100.4',
      requestId: 'req-1',
      changes: { a: { from: 1, to: 2 } },
    });
  });

  it('writes nothing when the handler fails', async () => {
    const { inserted, interceptor, context } = setup();
    const next: CallHandler = { handle: () => defer(() => Promise.reject(new Error('boom'))) };
    await expect(lastValueFrom(interceptor.intercept(context('plain', request()), next))).rejects.toThrow(
      'boom',
    );
    expect(inserted).toHaveLength(0);
  });
});

import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { AuditStore, EMPTY_AUDIT_FILTER } from './audit.store';

describe('AuditStore', () => {
  let store: AuditStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [AuditStore, provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(AuditStore);
    http = TestBed.inject(HttpTestingController);
  });

  it('sends only the filters that are set, with whole local days', () => {
    store.filter.set({ ...EMPTY_AUDIT_FILTER, actor: ' alice ', from: '2026-03-01', to: '2026-03-02' });
    const params = store.params();
    expect(params).toMatchObject({ page: 1, pageSize: 25, actor: 'alice' });
    expect(params).not.toHaveProperty('action');
    expect(new Date(params.from ?? '').getTime()).toBe(new Date(2026, 2, 1, 0, 0, 0).getTime());
    expect(new Date(params.to ?? '').getTime()).toBe(new Date(2026, 2, 2, 23, 59, 59, 999).getTime());
  });

  it('starts a new filter on page 1 and keeps the page size', async () => {
    store.page.set(4);
    store.pageSize.set(50);
    const done = store.applyFilter({ ...EMPTY_AUDIT_FILTER, action: 'user.*' });
    const request = http.expectOne((r) => r.url === '/api/prism/admin/audit');
    expect(request.request.params.get('page')).toBe('1');
    expect(request.request.params.get('pageSize')).toBe('50');
    expect(request.request.params.get('action')).toBe('user.*');
    request.flush({ items: [], page: 1, pageSize: 50, total: 0 });
    await done;
    expect(store.loaded()).toBe(true);
    expect(store.total()).toBe(0);
  });

  it('keeps the last page and shows the error when loading fails', async () => {
    const done = store.load();
    http
      .expectOne((r) => r.url === '/api/prism/admin/audit')
      .flush(
        { statusCode: 403, message: 'Your role (maintainer) lacks the audit.read permission' },
        { status: 403, statusText: 'Forbidden' },
      );
    await done;
    expect(store.load$.problem()?.message).toContain('lacks the audit.read permission');
    expect(store.loaded()).toBe(false);
  });
});

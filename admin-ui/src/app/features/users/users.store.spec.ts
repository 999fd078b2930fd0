import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { type UserResponseDto } from '../../api/models/user-response-dto';
import { EMPTY_USER_FILTER, UsersStore } from './users.store';

const URL = '/api/prism/admin/users';

function user(username: string, active = true): UserResponseDto {
  return {
    id: `id-${username}`,
    username,
    source: 'local',
    role: 'finops',
    rolePinned: false,
    tenantIds: [],
    active,
    mustChangePassword: false,
    lastLoginAt: null,
    ldapDn: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('UsersStore', () => {
  let store: UsersStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [UsersStore, provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(UsersStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
  });

  it('sends only the filters that are set; the status filter becomes active=true|false', () => {
    expect(store.params()).toEqual({ page: 1, pageSize: 25 });
    store.filter.set({ search: ' ali ', role: 'tenant-admin', source: 'ldap', state: 'disabled' });
    expect(store.params()).toEqual({
      page: 1,
      pageSize: 25,
      search: 'ali',
      role: 'tenant-admin',
      source: 'ldap',
      active: false,
    });
    expect(store.filtered()).toBe(true);
  });

  it('starts a new filter on page 1 and shows the page the server returns', async () => {
    store.page.set(3);
    const done = store.applyFilter({ ...EMPTY_USER_FILTER, state: 'active' });
    const request = http.expectOne((r) => r.url === URL);
    expect(request.request.params.get('page')).toBe('1');
    expect(request.request.params.get('active')).toBe('true');
    expect(request.request.params.has('role')).toBe(false);
    request.flush({ items: [user('alice'), user('bob')], total: 27, page: 1, pageSize: 25 });
    await done;
    expect(store.users().map((u) => u.username)).toEqual(['alice', 'bob']);
    expect(store.total()).toBe(27);
    expect(store.loaded()).toBe(true);
  });

  it('replaces a changed row in place and reloads after a delete, stepping back from an emptied page', async () => {
    store.users.set([user('zoe')]);
    store.page.set(2);
    const disabling = store.setActive(user('zoe'), false);
    http.expectOne(`${URL}/id-zoe/disable`).flush(user('zoe', false));
    await disabling;
    expect(store.users()[0]?.active).toBe(false);

    const removing = store.remove(user('zoe'));
    http.expectOne(`${URL}/id-zoe`).flush(null, { status: 204, statusText: 'No Content' });
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve));
    const reload = http.expectOne((r) => r.url === URL);
    expect(reload.request.params.get('page')).toBe('1');
    reload.flush({ items: [user('alice')], total: 1, page: 1, pageSize: 25 });
    await removing;
    expect(store.users().map((u) => u.username)).toEqual(['alice']);
  });

  it('keeps the rows and shows the error when loading fails', async () => {
    store.users.set([user('alice')]);
    const done = store.load();
    http
      .expectOne((r) => r.url === URL)
      .flush(
        {
          statusCode: 400,
          message: 'Validation failed',
          details: [{ field: 'search', messages: ['too long'] }],
        },
        { status: 400, statusText: 'Bad Request' },
      );
    await done;
    expect(store.load$.problem()?.fieldErrors).toEqual({ search: ['too long'] });
    expect(store.users()).toHaveLength(1);
  });
});

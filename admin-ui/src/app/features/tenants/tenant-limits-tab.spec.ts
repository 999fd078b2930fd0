import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatIconTestingModule } from '@angular/material/icon/testing';
import { provideRouter } from '@angular/router';

import { type TenantResponseDto } from '../../api/models/tenant-response-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { loginResponse, sessionUser } from '../../../testing/session';
import { TenantEditorStore } from './tenant-editor.store';
import { TenantLimitsTab } from './tenant-limits-tab';

const TENANT: TenantResponseDto = {
  id: 't1',
  slug: 'team',
  name: 'Team',
  active: true,
  isDefault: false,
  activeKeyCount: 1,
  aliases: [],
  budgetGuard: { enabled: false, thresholdPct: 80, costMode: 'economy', blockedTiers: [] },
  budgets: { dailyUsd: 0, weeklyUsd: 0, monthlyUsd: 100, enforcement: 'hard_block' },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  defaultSystemPrompt: null,
  endpointPath: '/api/team/v1',
  fallbackChains: [],
  keyLifetimeDays: 90,
  loadBalancing: { strategy: 'priority', weights: [] },
  modelAccess: { mode: 'all', list: [] },
  promptLogging: false,
  providerIds: [],
  quotas: [{ type: 'tokens_monthly', limit: 5000, enforcement: 'soft_warning' }],
  rateLimit: { requestsPerMinute: 60, tokensPerMinute: 0 },
  routing: {},
};

describe('TenantLimitsTab', () => {
  let fixture: ComponentFixture<TenantLimitsTab>;
  let host: HTMLElement;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [MatIconTestingModule],
      providers: [TenantEditorStore, provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    const login = TestBed.inject(AuthStore).login('admin', 'password-123456');
    http
      .expectOne('/api/prism/auth/login')
      .flush(loginResponse(sessionUser({ permissions: ['tenants.read', 'tenants.write'] })));
    await login;
    TestBed.inject(TenantEditorStore).tenant.set(TENANT);
    fixture = TestBed.createComponent(TenantLimitsTab);
    fixture.componentRef.setInput('tenant', TENANT);
    host = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  const input = (name: string): HTMLInputElement => {
    const element = host.querySelector<HTMLInputElement>(`input[formcontrolname="${name}"]`);
    if (!element) throw new Error(name);
    return element;
  };

  async function submit(): Promise<void> {
    host.querySelector('form')?.dispatchEvent(new Event('submit'));
    await fixture.whenStable();
  }

  it('shows the tenant limits and its quotas', () => {
    expect(input('requestsPerMinute').value).toBe('60');
    expect(input('monthlyUsd').value).toBe('100');
    expect(input('limit').value).toBe('5000');
  });

  it('refuses a negative limit without calling the server', async () => {
    const field = input('requestsPerMinute');
    field.value = '-1';
    field.dispatchEvent(new Event('input'));
    await submit();
    http.expectNone('/api/prism/admin/tenants/t1');
    expect(host.textContent).toContain('Requests per minute must be at least 0.');
  });

  it('saves only the limits part and shows server errors next to nested fields', async () => {
    await submit();
    const request = http.expectOne('/api/prism/admin/tenants/t1');
    expect(request.request.method).toBe('PATCH');
    expect(Object.keys(request.request.body as object).sort()).toEqual([
      'budgetGuard',
      'budgets',
      'quotas',
      'rateLimit',
    ]);
    request.flush(
      {
        statusCode: 400,
        message: 'Validation failed',
        details: [
          { field: 'budgets.monthlyUsd', messages: ['monthlyUsd must not be greater than 100000000'] },
        ],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    await vi.waitFor(() => {
      expect(host.textContent).toContain('MonthlyUsd must not be greater than 100000000.');
    });
  });

  it('keeps unsaved edits when the same tenant is refreshed, and refills for another tenant', async () => {
    const field = input('requestsPerMinute');
    field.value = '-5';
    field.dispatchEvent(new Event('input'));
    fixture.componentRef.setInput('tenant', { ...TENANT, updatedAt: '2026-01-02T00:00:00Z' });
    await fixture.whenStable();
    expect(input('requestsPerMinute').value).toBe('-5');

    fixture.componentRef.setInput('tenant', { ...TENANT, id: 't2', rateLimit: { requestsPerMinute: 30 } });
    await fixture.whenStable();
    expect(input('requestsPerMinute').value).toBe('30');
  });

  it('fills the form once on open and once after a save, not again when the saved tenant comes back', async () => {
    const created = TestBed.createComponent(TenantLimitsTab);
    const fill = vi.spyOn(
      created.componentInstance as unknown as { fill(t: TenantResponseDto): void },
      'fill',
    );
    created.componentRef.setInput('tenant', TENANT);
    await created.whenStable();
    expect(fill).toHaveBeenCalledTimes(1);

    (created.nativeElement as HTMLElement).querySelector('form')?.dispatchEvent(new Event('submit'));
    const saved = { ...TENANT, rateLimit: { requestsPerMinute: 90, tokensPerMinute: 0 } };
    http.expectOne('/api/prism/admin/tenants/t1').flush(saved);
    await vi.waitFor(() => {
      expect(fill).toHaveBeenCalledTimes(2);
    });
    // The editor passes the store's new value (the same object) back down: no third fill.
    created.componentRef.setInput('tenant', TestBed.inject(TenantEditorStore).tenant());
    await created.whenStable();
    expect(fill).toHaveBeenCalledTimes(2);
    expect(fill).toHaveBeenLastCalledWith(saved);
  });
});

import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatIconTestingModule } from '@angular/material/icon/testing';
import { provideRouter } from '@angular/router';

import { type RuleSetResponseDto } from '../../api/models/rule-set-response-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { RULE_SET_SETTINGS, SQL_RULE } from '../../../testing/rule-set';
import { loginResponse, sessionUser } from '../../../testing/session';
import { RuleSetEditor } from './rule-set-editor';

const RULE_SET: RuleSetResponseDto = {
  id: 'r1',
  scope: 'default',
  tenantId: null,
  tenantSlug: null,
  updatedAt: null,
  ...RULE_SET_SETTINGS,
  tierBoost: 0,
  keywordRules: [SQL_RULE],
  systemPromptRoles: [
    { name: 'Reviewer', enabled: false, pattern: '^you are a code reviewer', category: 'code_review' },
  ],
};

describe('RuleSetEditor rule panels', () => {
  let fixture: ComponentFixture<RuleSetEditor>;
  let host: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [MatIconTestingModule],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    const http = TestBed.inject(HttpTestingController);
    const login = TestBed.inject(AuthStore).login('admin', 'password-123456');
    http
      .expectOne('/api/prism/auth/login')
      .flush(loginResponse(sessionUser({ permissions: ['routing.read', 'routing.write'] })));
    await login;
    fixture = TestBed.createComponent(RuleSetEditor);
    host = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    http.expectOne('/api/prism/admin/routing/rule-sets/default').flush(RULE_SET);
    await vi.waitFor(async () => {
      await fixture.whenStable();
      expect(host.querySelectorAll('mat-accordion')).toHaveLength(2);
    });
  });

  const accordions = (): HTMLElement[] => [...host.querySelectorAll<HTMLElement>('mat-accordion')];
  const labels = (panel: Element): string[] =>
    [...panel.querySelectorAll('mat-label, mat-checkbox label')].map((label) => label.textContent.trim());

  it('keeps each rule panel a direct child of its accordion, with the shared and the own fields', () => {
    const [keywordPanels, rolePanels] = accordions().map((accordion) =>
      [...accordion.children].map((child) => child.tagName.toLowerCase()),
    );
    expect(keywordPanels).toEqual(['mat-expansion-panel']);
    expect(rolePanels).toEqual(['mat-expansion-panel']);

    const [keyword, role] = accordions().map((accordion) => accordion.children[0]);
    if (!keyword || !role) throw new Error('panels');
    expect(keyword.querySelector('mat-panel-title')?.textContent.trim()).toBe('SQL');
    expect(keyword.querySelector('mat-panel-description')?.textContent.trim()).toBe('sql_generation');
    expect(labels(keyword)).toEqual(
      expect.arrayContaining(['Name', 'Match', 'Minimum matches', 'Search in', 'Enabled', 'Category']),
    );
    expect(labels(keyword)).toContain('Keywords are regular expressions');
    expect(labels(keyword).some((label) => label.startsWith('Keywords (one per line'))).toBe(true);
    expect(role.querySelector('mat-panel-description')?.textContent.trim()).toBe('disabled · code_review');
    expect(labels(role)).toEqual(expect.arrayContaining(['Name', 'Enabled', 'Category']));
    expect(labels(role).some((label) => label.startsWith('Pattern'))).toBe(true);
    expect(labels(role)).not.toContain('Match');
    expect(role.querySelector<HTMLInputElement>('input[maxlength="100"]')?.value).toBe('Reviewer');
  });

  it('edits the name and removes the rule of its own list', async () => {
    const role = accordions()[1]?.children[0];
    const name = role?.querySelector<HTMLInputElement>('input[maxlength="100"]');
    if (!role || !name) throw new Error('role panel');
    name.value = 'Code reviewer';
    name.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(role.querySelector('mat-panel-title')?.textContent.trim()).toBe('Code reviewer');

    [...role.querySelectorAll('button')]
      .find((button) => button.textContent.includes('Remove rule'))
      ?.click();
    await fixture.whenStable();
    expect(accordions()[1]?.children.length).toBe(0);
    expect(accordions()[0]?.children.length).toBe(1);
  });
});

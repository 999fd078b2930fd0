import { escapeFilterValue, fillFilter, filterTemplateProblem } from './ldap-filter';

describe('LDAP filter escaping (RFC 4515)', () => {
  it('escapes the filter metacharacters so injection attempts stay literal', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b')).toBe('a\\5cb');
    expect(escapeFilterValue('nul\0')).toBe('nul\\00');
    expect(fillFilter('(uid={{username}})', { username: 'x)(|(uid=*' })).toBe('(uid=x\\29\\28|\\28uid=\\2a)');
  });

  it('leaves ordinary names (including non-ASCII) as they are', () => {
    expect(escapeFilterValue('jürgen.müller@example.org')).toBe('jürgen.müller@example.org');
  });

  it('fills every occurrence and keeps unknown placeholders', () => {
    expect(fillFilter('(|(uid={{username}})(mail={{username}})({{other}}))', { username: 'a*' })).toBe(
      '(|(uid=a\\2a)(mail=a\\2a)({{other}}))',
    );
  });

  it('validates filter templates', () => {
    expect(filterTemplateProblem('(uid={{username}})', 'username')).toBeNull();
    expect(filterTemplateProblem('(&(objectClass=person)(uid={{username}}))', 'username')).toBeNull();
    expect(filterTemplateProblem('uid={{username}}', 'username')).toMatch(/parentheses/);
    expect(filterTemplateProblem('(uid={{username}}', 'username')).toMatch(/parentheses/);
    expect(filterTemplateProblem('(uid=admin)', 'username')).toMatch(/\{\{username\}\}/);
  });
});

import { compileVocabulary, WORD } from './keyword-vocabulary';

const count = (keywords: string[], text: string): number => {
  const lower = text.toLowerCase();
  return compileVocabulary(keywords).count(lower.match(WORD) ?? [], lower, 10);
};

describe('keyword vocabulary', () => {
  it('matches words, prefixes and word sequences on word boundaries', () => {
    expect(count(['dose', 'insulin*'], 'Dose of insulina?')).toBe(2);
    expect(count(['nda'], 'the agenda')).toBe(0);
    expect(count(['blood thinner*', 'my ex'], 'My ex takes blood thinners')).toBe(2);
    expect(count(['my ex'], 'my example')).toBe(0);
    expect(count(['api-schlüssel', "prud'hommes"], 'Der Stripe-API-Schlüssel; aux prud’hommes')).toBe(2);
    expect(count(['ehemalig* mitarbeiter*'], 'ein ehemaliger Mitarbeiterin')).toBe(1);
  });

  it('counts one word once, however many entries match it', () => {
    expect(count(['steuer*', 'steuererklärung'], 'die Steuererklärung')).toBe(1);
  });

  it('collects the entries of two texts into one set, counting an entry found in both once', () => {
    const vocabulary = compileVocabulary(['lawyer', 'police', 'court']);
    const text = 'do i need a lawyer?';
    const found = vocabulary.collect(text.match(WORD) ?? [], text, 2);
    const earlier = 'the police called; my lawyer is away';
    vocabulary.collect(earlier.match(WORD) ?? [], earlier, 3, found);
    expect([...found].sort()).toEqual(['lawyer', 'police']);
  });

  it('matches entries with punctuation at an edge by text', () => {
    expect(count(['.locked', 'cve-'], 'files end in .locked, see CVE-2024-1')).toBe(2);
    expect(count(['.locked'], 'the account is locked')).toBe(0);
  });
});

import type { RoutingInput, RoutingMessage } from '../router.interface';
import { countCodeChars, extractSignals } from './signals';

function chat(...messages: RoutingMessage[]): RoutingInput {
  return { model: 'auto', messages };
}
const user = (content: RoutingMessage['content']): RoutingMessage => ({ role: 'user', content });
const system = (content: string): RoutingMessage => ({ role: 'system', content });

describe('extractSignals', () => {
  describe('token estimate', () => {
    it('counts prose at 3.5 chars, fenced code at 1.5 chars and 4 tokens per message', () => {
      const prose = 'a'.repeat(70); // 20 tokens
      const code = '```\n' + 'x'.repeat(26) + '\n```'; // 34 chars -> ~22.67 tokens
      const { signals } = extractSignals(chat(system('b'.repeat(35)), user(prose + code)));
      // system 10 + user 20 + 34/1.5 + 2 messages * 4
      expect(signals.tokens.total).toBe(Math.ceil(10 + 20 + 34 / 1.5 + 8));
      expect(signals.tokens.codeChars).toBe(34);
      expect(signals.tokens.proseChars).toBe(105);
    });

    it('counts code in an unclosed fence up to the end', () => {
      expect(countCodeChars('text ```python\nprint(1)')).toBe('```python\nprint(1)'.length);
      expect(countCodeChars('no code here')).toBe(0);
    });

    it('treats a legacy completion prompt as one user message', () => {
      const { signals } = extractSignals({ model: 'auto', prompt: 'a'.repeat(35) });
      expect(signals.tokens.total).toBe(14);
      expect(signals.conversationTurns).toBe(1);
    });
  });

  describe('fill-in-the-middle detection', () => {
    it('flags StarCoder, DeepSeek, CodeLlama and Codestral markers', () => {
      for (const prompt of [
        '<fim_prefix>def add(a, b):\n    <fim_suffix>\n<fim_middle>',
        '<｜fim▁begin｜>const x = <｜fim▁hole｜>;<｜fim▁end｜>',
        '<PRE> function f() { <SUF> } <MID>',
        // Mistral/Codestral: the suffix comes first
        '[SUFFIX]\n    return total\n[PREFIX]def total_of(items):\n    total = ',
      ]) {
        const { signals } = extractSignals(chat(user(prompt)));
        expect(signals).toMatchObject({ isFim: true, fimReason: 'marker' });
      }
    });

    it('flags a hole-filler system prompt', () => {
      const { signals } = extractSignals(
        chat(system('You are a HOLE FILLER. Replace {{HOLE_NAME}} with code.'), user('function a() {}')),
      );
      expect(signals.isFim).toBe(true);
    });

    it('flags a single bare code block with under 20 characters of prose', () => {
      const { signals } = extractSignals(chat(user('```ts\nconst total = items.reduce(\n```')));
      expect(signals).toMatchObject({ isFim: true, fimReason: 'bare_code_block' });
    });

    it('does not flag a code block that comes with a real question', () => {
      const { signals } = extractSignals(
        chat(user('Why does this loop never terminate on an empty list?\n```py\nwhile xs: pass\n```')),
      );
      expect(signals.isFim).toBe(false);
    });

    it('does not flag a question about autocomplete', () => {
      const { signals } = extractSignals(chat(user('How do I turn on code completion in VS Code?')));
      expect(signals.isFim).toBe(false);
    });

    it('flags completions with a suffix and the explicit flag', () => {
      expect(extractSignals({ model: 'x', prompt: 'def f(', suffix: '' }).signals.fimReason).toBe('suffix');
      expect(extractSignals({ model: 'x', prompt: 'def f(', fim: true }).signals.fimReason).toBe('flag');
    });
  });

  describe('tool continuations and turns', () => {
    it('recognises "Tool output for" as a continuation, not a new turn', () => {
      const { signals, texts } = extractSignals(
        chat(
          user('Rename the helper in utils.ts'),
          { role: 'assistant', content: 'ok' },
          user('Tool output for read_file: ...'),
        ),
      );
      expect(signals.isToolContinuation).toBe(true);
      expect(signals.conversationTurns).toBe(1);
      expect(texts.lastUser).toBe('Rename the helper in utils.ts');
      expect(signals.isAgent).toBe(true);
    });

    it('treats a trailing tool message as a continuation', () => {
      const { signals } = extractSignals(
        chat(
          user('list files'),
          { role: 'assistant', content: null, tool_calls: [{ function: { name: 'ls', arguments: '{}' } }] },
          { role: 'tool', content: 'a.ts b.ts', tool_call_id: '1' },
        ),
      );
      expect(signals.isToolContinuation).toBe(true);
      expect(signals.isAgent).toBe(true);
    });

    it('counts tools and images', () => {
      const { signals } = extractSignals({
        model: 'auto',
        messages: [
          user([
            { type: 'text', text: 'What is on this picture?' },
            { type: 'image_url', image_url: { url: 'data:...' } },
          ]),
        ],
        tools: [{ type: 'function', function: { name: 'search' } }],
      });
      expect(signals).toMatchObject({ hasImages: true, imageCount: 1, hasTools: true, toolCount: 1 });
      expect(signals.tokens.images).toBe(1);
    });
  });

  describe('domains', () => {
    it('needs two security keywords', () => {
      expect(extractSignals(chat(user('Where should I keep the JWT?'))).signals.domains).toEqual([]);
      expect(
        extractSignals(chat(user('Is storing the JWT in localStorage an XSS risk?'))).signals.domains,
      ).toEqual(['security']);
    });

    it('needs one legal, medical or finance keyword and matches whole words only', () => {
      expect(extractSignals(chat(user('Is this clause GDPR compliant?'))).signals.domains).toEqual(['legal']);
      expect(extractSignals(chat(user('Put it on the agenda'))).signals.domains).toEqual([]);
      expect(extractSignals(chat(user('Welche Dosierung ist für Kinder üblich?'))).signals.domains).toEqual([
        'medical',
      ]);
      expect(extractSignals(chat(user('Compute EBITDA from these numbers'))).signals.domains).toEqual([
        'finance',
      ]);
    });

    it.each([
      'What obligations does the new packaging law put on a small bakery that ships cakes?',
      'Welche Meldepflichten hat ein Hausverwalter nach dem Gebäudeenergiegesetz?',
      'Haftet der Vermieter nach BGB, wenn im Winter die Heizung ausfällt?',
      'Quelles obligations la loi impose-t-elle à un commerçant qui vend en ligne ?',
      '¿Qué obligaciones tiene una empresa de reparto según la nueva ley de envases?',
      'Quali obblighi prevede la legge per un condominio con ascensore?',
      'Welke meldplicht heeft een zorgaanbieder volgens de wet bij een datalek?',
      'Jakie obowiązki nakłada ustawa na właściciela małego sklepu internetowego?',
      'Which duties does the European Accessibility Act place on online shops?',
    ])('reads a duty or obligation asked about in a legal context as legal: %p', (text) => {
      expect(extractSignals(chat(user(text))).signals.domains).toContain('legal');
    });

    it.each([
      'What is a good duty cycle for this PWM fan?',
      'Mach das Feld E-Mail im Formular zu einem Pflichtfeld.',
      'Hoe werkt de wet van Ohm?',
      'La réunion est obligatoire pour toute l’équipe demain.',
    ])('needs both a duty and a legal context: %p', (text) => {
      expect(extractSignals(chat(user(text))).signals.domains).not.toContain('legal');
    });

    it('also reads the system prompt', () => {
      const { signals } = extractSignals(chat(system('You answer questions about the GDPR.'), user('Hi')));
      expect(signals.domains).toEqual(['legal']);
    });
  });

  it('detects code languages, frustration, long output and language', () => {
    const { signals } = extractSignals(
      chat(user('Das funktioniert immer noch nicht!\n```python\ndef total(xs):\n    return sum(xs)\n```')),
    );
    expect(signals.codeLanguages).toContain('python');
    expect(signals.hasCode).toBe(true);
    expect(signals.frustration).toBe(true);
    expect(signals.language).toBe('de');
    expect(extractSignals(chat(user('Write a comprehensive guide to the topic'))).signals).toMatchObject({
      longOutputRequested: true,
      language: 'en',
    });
  });

  it('stays fast on a 100k-token conversation', () => {
    const messages: RoutingMessage[] = [system('You are a helpful assistant.')];
    const chunk =
      'Some prose about the system design. '.repeat(50) + '\n```ts\n' + 'const a = 1;\n'.repeat(40) + '```\n';
    while (messages.length < 200) {
      messages.push(user(chunk), { role: 'assistant', content: chunk });
    }
    const input = chat(...messages);
    extractSignals(input);
    const started = performance.now();
    const { signals } = extractSignals(input);
    const elapsed = performance.now() - started;
    expect(signals.tokens.total).toBeGreaterThan(100_000);
    expect(elapsed).toBeLessThan(50);
  });
});

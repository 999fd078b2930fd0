import { highlight, parseInline, parseMarkdown } from './markdown';

describe('parseMarkdown', () => {
  it('reads headings, lists, paragraphs and fenced code', () => {
    const blocks = parseMarkdown(
      '# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n```ts\nconst x = 1;\n```',
    );
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'code']);
    expect(blocks[1]).toEqual({
      kind: 'paragraph',
      spans: [
        { kind: 'text', text: 'Some ' },
        { kind: 'strong', text: 'bold' },
        { kind: 'text', text: ' and ' },
        { kind: 'code', text: 'code' },
        { kind: 'text', text: '.' },
      ],
    });
    expect(blocks[3]).toMatchObject({ kind: 'code', language: 'ts' });
  });

  it('treats an open fence of a stream in progress as code up to the end', () => {
    const blocks = parseMarkdown('Here:\n```python\nprint("hi")');
    expect(blocks.at(-1)).toMatchObject({ kind: 'code', language: 'python' });
  });

  it('keeps markup as text, never as HTML', () => {
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)>' },
    ]);
  });
});

describe('highlight', () => {
  it('marks keywords, strings, numbers and comments', () => {
    const kinds = highlight('const a = "x"; // note\nreturn 42;')
      .filter((t) => t.kind !== 'plain')
      .map((t) => `${t.kind}:${t.text}`);
    expect(kinds).toEqual(['keyword:const', 'string:"x"', 'comment:// note', 'keyword:return', 'number:42']);
  });
});

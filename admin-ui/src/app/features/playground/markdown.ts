/**
 * A small markdown reader for chat answers: fenced code, headings, lists, paragraphs, and inline
 * code, bold and italics. It builds a block model the template renders with Angular bindings (no
 * `innerHTML`, so nothing the model writes can run in the console), and copes with the half-written
 * markdown of a stream still in progress (an open fence is code up to the end).
 */
export interface Span {
  kind: 'text' | 'code' | 'strong' | 'em';
  text: string;
}

export type Block =
  | { kind: 'code'; language: string; tokens: CodeToken[] }
  | { kind: 'heading'; level: 1 | 2 | 3; spans: Span[] }
  | { kind: 'list'; ordered: boolean; items: Span[][] }
  | { kind: 'paragraph'; spans: Span[] };

export interface CodeToken {
  kind: 'plain' | 'keyword' | 'string' | 'comment' | 'number';
  text: string;
}

const FENCE = /^\s*```\s*([\w+#.-]*)\s*$/;
const HEADING = /^(#{1,3})\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', spans: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !FENCE.test(lines[i] ?? ''); i++) code.push(lines[i] ?? '');
      blocks.push({ kind: 'code', language: fence[1] ?? '', tokens: highlight(code.join('\n')) });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const level = Math.min(3, (heading[1] ?? '#').length) as 1 | 2 | 3;
      blocks.push({ kind: 'heading', level, spans: parseInline(heading[2] ?? '') });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      flush();
      const ordered = numbered !== null;
      const item = parseInline((bullet ?? numbered)?.[1] ?? '');
      const last = blocks.at(-1);
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(item);
      else blocks.push({ kind: 'list', ordered, items: [item] });
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*|_[^_\s][^_]*_)/;

export function parseInline(text: string): Span[] {
  const spans: Span[] = [];
  for (const part of text.split(INLINE)) {
    if (!part) continue;
    if (part.startsWith('`') && part.endsWith('`') && part.length > 1) {
      spans.push({ kind: 'code', text: part.slice(1, -1) });
    } else if (part.startsWith('**') && part.endsWith('**') && part.length > 4) {
      spans.push({ kind: 'strong', text: part.slice(2, -2) });
    } else if (/^([*_]).+\1$/.test(part)) {
      spans.push({ kind: 'em', text: part.slice(1, -1) });
    } else {
      spans.push({ kind: 'text', text: part });
    }
  }
  return spans;
}

const KEYWORDS = new Set(
  (
    'abstract as async await break case catch class const continue def del elif else enum export ' +
    'extends false final finally fn for from func function go if impl import in interface let ' +
    'match mod new nil none null package pass private protected pub public raise return self ' +
    'static struct super switch this throw true try type typeof undefined use val var void while ' +
    'with yield select insert update delete where join'
  ).split(' '),
);
const CODE_TOKEN =
  /(\/\/[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`|\b\d+(?:\.\d+)?\b|\b[A-Za-z_]\w*\b)/;

/** Language-neutral highlighting: comments, strings, numbers and common keywords. */
export function highlight(code: string): CodeToken[] {
  const tokens: CodeToken[] = [];
  for (const part of code.split(CODE_TOKEN)) {
    if (!part) continue;
    let kind: CodeToken['kind'] = 'plain';
    if (part.startsWith('//') || part.startsWith('/*') || part.startsWith('#')) kind = 'comment';
    else if (/^["'`]/.test(part)) kind = 'string';
    else if (/^\d/.test(part)) kind = 'number';
    else if (KEYWORDS.has(part.toLowerCase())) kind = 'keyword';
    const last = tokens.at(-1);
    if (kind === 'plain' && last?.kind === 'plain') last.text += part;
    else tokens.push({ kind, text: part });
  }
  return tokens;
}

/** Deterministic text helpers: token estimates, default replies, embedding vectors, chunking. */

/** About four characters per token, like the usual rule of thumb; never below 1. */
export function estimateTokens(chars: number): number {
  return chars <= 0 ? 0 : Math.ceil(chars / 4);
}

/** Text of a message `content` in any of the common shapes (string, parts, blocks). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content as unknown[]) {
    if (typeof part === 'string') out += part;
    else if (part && typeof part === 'object') {
      const p = part as Record<string, unknown>;
      if (typeof p.text === 'string') out += p.text;
      else if (p.content !== undefined) out += contentText(p.content);
      else if (typeof p.output === 'string') out += p.output;
    }
  }
  return out;
}

const SNIPPET_CHARS = 200;

export function defaultReply(model: string, lastUserText: string): string {
  const snippet = lastUserText.trim().slice(0, SNIPPET_CHARS);
  return snippet ? `Mock answer from ${model} to: ${snippet}` : `Mock answer from ${model}.`;
}

export function defaultCompletion(model: string, prompt: string, suffix: string | undefined): string {
  if (suffix !== undefined) return `/* filled in by ${model} */`;
  const lastLine = prompt.trimEnd().split('\n').pop() ?? '';
  return ` (mock completion from ${model} after "${lastLine.slice(-40)}")`;
}

/** FNV-1a, enough to seed deterministic vectors and cache keys. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A unit-length vector that depends only on the text and the size. */
export function embeddingFor(text: string, dimensions: number): number[] {
  let state = hash32(text) || 1;
  const out = new Array<number>(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const v = ((state >>> 0) / 0xffffffff) * 2 - 1;
    out[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dimensions; i++) out[i] = Math.fround(out[i]! / norm);
  return out;
}

/** Little-endian float32 base64, the OpenAI `encoding_format: "base64"` wire form. */
export function embeddingBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

/** Splits by code points (never inside a surrogate pair) into pieces of `size`. */
export function splitText(text: string, size: number): string[] {
  if (text.length <= size) return text ? [text] : [];
  const points = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < points.length; i += size) pieces.push(points.slice(i, i + size).join(''));
  return pieces;
}

/** Tool arguments are always streamed in at least two pieces so clients must concatenate. */
export function splitArguments(args: string, size: number): string[] {
  if (args.length < 2) return [args];
  const pieces = splitText(args, Math.min(size, Math.ceil(args.length / 2)));
  return pieces;
}

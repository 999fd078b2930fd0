import type { CachePrefix } from './answer';
import { estimateTokens, hash32 } from './text';

/**
 * Walks a prompt in provider order (tools → system → messages) and remembers the last cache
 * breakpoint (Anthropic `cache_control`, Bedrock `cachePoint`): the prefix before it is what a
 * provider would cache, keyed by its content.
 */
export class PromptWalker {
  chars = 0;
  private readonly parts: string[] = [];
  private breakpoint = -1;
  private breakpointChars = 0;

  add(text: string, cacheControl?: unknown): void {
    this.chars += text.length;
    this.parts.push(text);
    if (cacheControl) this.mark();
  }

  /** A breakpoint after everything added so far. */
  mark(): void {
    this.breakpoint = this.parts.length;
    this.breakpointChars = this.chars;
  }

  cachePrefix(): CachePrefix | undefined {
    if (this.breakpoint < 0) return undefined;
    const key = `${this.breakpointChars}:${hash32(this.parts.slice(0, this.breakpoint).join('\u0000'))}`;
    return { key, tokens: estimateTokens(this.breakpointChars) };
  }
}

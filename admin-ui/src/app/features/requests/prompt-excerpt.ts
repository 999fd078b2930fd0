/** Text of one message `content`: a string, or the text parts of a content array. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      part && typeof part === 'object' && 'text' in part && typeof part.text === 'string' ? part.text : '',
    )
    .filter(Boolean)
    .join('\n');
}

/**
 * The user's last message of a logged request (chat `messages`, a completions `prompt` or a
 * Responses `input`), cut to `max` characters: what the router classified.
 */
export function promptExcerpt(request: unknown, max: number): string {
  let text = '';
  if (typeof request === 'string') text = request;
  else if (Array.isArray(request)) {
    const messages = request as unknown[];
    for (let i = messages.length - 1; i >= 0 && !text; i--) {
      const m = messages[i];
      if (typeof m === 'string') text = m;
      else if (m && typeof m === 'object' && (!('role' in m) || m.role === 'user'))
        text = 'content' in m ? textOf(m.content) : '';
    }
  }
  return text.trim().slice(0, max);
}

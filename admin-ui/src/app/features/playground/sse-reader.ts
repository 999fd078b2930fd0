/** One server-sent event (`event:` defaults to `message`). */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Splits a growing SSE text into complete events. `feed` takes the whole text received so far
 * (Angular's download progress reports it that way) and returns only the events not seen before;
 * an event still being written stays for the next call.
 */
export class SseReader {
  private consumed = 0;

  feed(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    for (;;) {
      const end = text.indexOf('\n\n', this.consumed);
      if (end < 0) break;
      const block = text.slice(this.consumed, end);
      this.consumed = end + 2;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) events.push({ event, data: data.join('\n') });
    }
    return events;
  }
}

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** How long a refused body may keep arriving after the answer before the connection is cut. */
export const LINGER_MS = 5_000;

const LINGERING = Symbol('prism.lingering');

/**
 * For an answer sent while the client is still sending its body (413 before the body is read):
 * close the connection the way nginx's lingering close does. Node closes a `connection: close`
 * connection as soon as the answer is flushed (`socket.destroySoon()`); unread bytes the client
 * is still sending then make the kernel answer with a reset, and a client busy writing sees
 * ECONNRESET/EPIPE instead of the 413 it was sent. Here the write side is closed after the answer
 * (the client reads the 413 and end-of-stream), and what the client still sends is read and thrown
 * away until it stops sending or {@link LINGER_MS} has passed; only then is the socket destroyed.
 *
 * The answer itself still goes out at once with `connection: close` (Fastify's semantics): the
 * body is never buffered, only discarded by the HTTP parser.
 */
export function lingerAfterAnswer(req: IncomingMessage, lingerMs = LINGER_MS): void {
  const socket = req.socket as (Socket & { [LINGERING]?: true }) | null;
  if (!socket || socket[LINGERING] || socket.destroyed) return;
  socket[LINGERING] = true;
  // Our own body reader may have stopped listening: keep the request flowing so its bytes are dropped.
  req.resume();
  socket.destroySoon = function lingeringClose(this: Socket): void {
    if (this.writable) this.end();
    const close = (): void => {
      clearTimeout(timer);
      if (!this.destroyed) this.destroy();
    };
    const timer = setTimeout(close, lingerMs);
    timer.unref();
    this.once('end', close);
    this.once('close', () => clearTimeout(timer));
    this.resume();
  };
}

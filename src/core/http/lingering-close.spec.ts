import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';

import { lingerAfterAnswer } from './lingering-close';

/** A client that keeps writing body bytes until the server cuts it off; what it read, and how it ended. */
function endlessWriter(port: number): Promise<{ answer: string; error?: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let answer = '';
    let error: string | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (answer += text));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code));
    socket.on('close', () => resolve({ answer, error, ms: Date.now() - started }));
    socket.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 1000000000\r\n\r\n');
    const piece = Buffer.alloc(16 * 1024, 0x20);
    const timer = setInterval(() => {
      if (socket.destroyed || !socket.writable) clearInterval(timer);
      else socket.write(piece);
    }, 5);
  });
}

describe('lingerAfterAnswer', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      lingerAfterAnswer(req, 300);
      res.writeHead(413, { connection: 'close', 'content-length': '2' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('lets a client that keeps sending read the answer, and cuts it off after the linger time', async () => {
    const { answer, ms } = await endlessWriter(port);
    expect(answer.startsWith('HTTP/1.1 413')).toBe(true);
    expect(answer.endsWith('{}')).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(5_000);
  });
});

/**
 * One TCP port serving HTTP/1.1 and HTTP/2 cleartext (prior knowledge) side by side: the Bedrock
 * runtime SDK talks HTTP/2 by default, everything else HTTP/1.1. The first bytes of a connection
 * tell them apart (the HTTP/2 preface starts with "PRI * HTTP/2.0").
 */
import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0');

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface DualServer {
  readonly tcp: Server;
  /** Destroys every open connection (both protocols). */
  closeAllConnections(): void;
}

export function createDualServer(listener: RequestListener): DualServer {
  const h1 = createHttp1Server(listener);
  h1.keepAliveTimeout = 65_000;
  // The HTTP/2 compatibility API mirrors IncomingMessage/ServerResponse closely enough for the
  // handlers (url, method, headers, writeHead/write/end, 'close'); see resetConnection for the one gap.
  const h2 = createHttp2Server({}, listener as unknown as Parameters<typeof createHttp2Server>[1]);
  const sockets = new Set<Socket>();

  const tcp = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      const isH2 = first
        .subarray(0, H2_PREFACE.length)
        .equals(H2_PREFACE.subarray(0, Math.min(first.length, H2_PREFACE.length)));
      (isH2 ? h2 : h1).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });

  return {
    tcp,
    closeAllConnections() {
      for (const socket of sockets) socket.destroy();
      h1.closeAllConnections();
    },
  };
}

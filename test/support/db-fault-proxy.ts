import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A TCP proxy in front of the real test database that lets everything through except `insert`
 * commands into one collection: the first `passInserts` of them go through, every later one
 * cuts its connection (the driver sees a network error, as when the database goes away in the
 * middle of a write). Reads, updates and other collections are untouched. It parses only the
 * OP_MSG header and the first element of the command body.
 */
export interface DbFaultProxy {
  uri: string;
  /** `insert` commands into the collection seen so far (passed or cut). */
  readonly inserts: number;
  close(): Promise<void>;
}

export async function startDbFaultProxy(
  databaseUri: string,
  options: { collection: string; passInserts: number },
): Promise<DbFaultProxy> {
  const target = new URL(databaseUri);
  const sockets = new Set<Socket>();
  let inserts = 0;

  /** The collection an OP_MSG `insert` command targets, else undefined. */
  const insertInto = (message: Buffer): string | undefined => {
    if (message.length < 26 || message.readInt32LE(12) !== 2013 || message[20] !== 0) return undefined;
    // Body document at 21: its size, then the first element: type, key, value.
    if (message[25] !== 0x02) return undefined;
    const keyEnd = message.indexOf(0, 26);
    if (message.toString('latin1', 26, keyEnd) !== 'insert') return undefined;
    const length = message.readInt32LE(keyEnd + 1);
    return message.toString('utf8', keyEnd + 5, keyEnd + 5 + length - 1);
  };

  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', cut).on('error', cut);
    upstream.on('close', cut).on('error', cut);
    upstream.pipe(client);
    let pending: Buffer = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const size = pending.readInt32LE(0);
        const message = pending.subarray(0, size);
        pending = pending.subarray(size);
        if (insertInto(message) === options.collection && ++inserts > options.passInserts) {
          cut();
          return;
        }
        upstream.write(message);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const uri = new URL(databaseUri);
  uri.host = `127.0.0.1:${port}`;
  return {
    uri: uri.toString(),
    get inserts() {
      return inserts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

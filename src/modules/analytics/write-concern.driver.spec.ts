// Write concern errors as the real driver delivers them (it throws a reply with a write concern
// error as MongoWriteConcernError): a minimal MongoDB wire server answers every `insert` with
// { ok: 1, n, writeConcernError }. MongoDB and FerretDB cannot be made to do that on demand.
import { createServer, type Server, type Socket } from 'node:net';
import mongoose, { mongo } from 'mongoose';

import { AnalyticsRepository } from './analytics.repository';
import { DocumentAnswer, InsertAnswers } from './insert-answers';
import { BsonDocumentWriter } from './request-log.bson';
import { randomGatewayRows } from './testing/random-rows';

interface Fake {
  uri: string;
  inserts: { collection: string; documents: number }[];
  close(): Promise<void>;
}

/** A wire message answering `requestId`: the 16-byte header, the op's own fields, one document. */
function wireMessage(requestId: number, opCode: number, fields: Buffer, doc: object): Buffer {
  const body = Buffer.from(mongo.BSON.serialize(doc));
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + fields.length + body.length, 0);
  header.writeInt32LE(0, 4);
  header.writeInt32LE(requestId, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, fields, body]);
}

/** OP_MSG: flag bits 0, one body section (kind 0). */
function reply(requestId: number, doc: object): Buffer {
  return wireMessage(requestId, 2013, Buffer.alloc(5), doc);
}

/** OP_REPLY (the legacy handshake): flags 0, cursor 0, starting from 0, one document. */
function opReply(requestId: number, doc: object): Buffer {
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(1, 16);
  return wireMessage(requestId, 1, fields, doc);
}

async function startFake(
  concern: { code: number; codeName: string; errmsg: string },
  hello: object = {},
  extra: object = {},
): Promise<Fake> {
  const sockets = new Set<Socket>();
  const inserts: Fake['inserts'] = [];
  const helloDoc = {
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: 1,
    minWireVersion: 0,
    maxWireVersion: 21,
    ok: 1,
    ...hello,
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    let pending = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const size = pending.readInt32LE(0);
        const msg = pending.subarray(0, size);
        pending = pending.subarray(size);
        const requestId = msg.readInt32LE(4);
        const opCode = msg.readInt32LE(12);
        if (opCode === 2004) {
          socket.write(opReply(requestId, helloDoc));
          continue;
        }
        // OP_MSG: flags, then sections.
        let at = 20;
        let body: Record<string, unknown> = {};
        let sequenced = 0;
        while (at < size) {
          const kind = msg[at]!;
          at++;
          if (kind === 0) {
            const len = msg.readInt32LE(at);
            body = mongo.BSON.deserialize(msg.subarray(at, at + len));
            at += len;
          } else {
            const len = msg.readInt32LE(at);
            const end = at + len;
            at += 4;
            at = msg.indexOf(0, at) + 1;
            while (at < end) {
              sequenced++;
              at += msg.readInt32LE(at);
            }
            at = end;
          }
        }
        const name = Object.keys(body)[0];
        if (name === 'hello' || name === 'ismaster' || name === 'isMaster') {
          socket.write(reply(requestId, helloDoc));
        } else if (name === 'insert') {
          const n = sequenced + (Array.isArray(body.documents) ? body.documents.length : 0);
          inserts.push({ collection: String(body.insert), documents: n });
          socket.write(reply(requestId, { n, ok: 1, ...extra, writeConcernError: concern }));
        } else {
          socket.write(reply(requestId, { ok: 1 }));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    uri: `mongodb://127.0.0.1:${port}/prism?directConnection=true&retryWrites=false`,
    inserts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const timedOut = { code: 64, codeName: 'WriteConcernFailed', errmsg: 'waiting for replication timed out' };
const steppedDown = { code: 189, codeName: 'PrimarySteppedDown', errmsg: 'primary stepped down' };

describe('write concern errors through the real driver', () => {
  let fake: Fake;
  let conn: mongoose.Connection;
  afterEach(async () => {
    await conn?.close(true);
    await fake?.close();
  });

  async function repositoryOn(
    concern: typeof timedOut,
    extra: object = {},
  ): Promise<{ repository: AnalyticsRepository; fake: Fake }> {
    fake = await startFake(concern, {}, extra);
    conn = await mongoose.createConnection(fake.uri, { serverSelectionTimeoutMS: 2000 }).asPromise();
    const model = (collectionName: string) => ({ collection: { collectionName }, db: conn });
    const repository = new AnalyticsRepository(
      model('request_logs_recent') as never,
      undefined as never,
      model('request_prompts') as never,
      undefined as never,
      undefined as never,
    );
    return { repository, fake };
  }

  const encoded = (count: number): Buffer => {
    const writer = new BsonDocumentWriter();
    for (const row of randomGatewayRows(count, 6)) writer.append(row);
    return writer.take();
  };

  it('request logs applied on the primary with their write concern unmet count as stored', async () => {
    const { repository } = await repositoryOn(timedOut);
    const answers = new InsertAnswers(3);
    await expect(repository.insertEncodedLogs(encoded(3), answers)).resolves.toBeUndefined();
    expect(answers.settled).toBe(true);
    expect(answers.answers.every((a) => a === DocumentAnswer.Stored)).toBe(true);
    expect(answers.unmetWriteConcern).toEqual([expect.objectContaining({ code: 64 })]);
  });

  it('a primary that stepped down while waiting: nothing counts as stored, the rows are sent again', async () => {
    const { repository } = await repositoryOn(steppedDown);
    const answers = new InsertAnswers(3);
    await expect(repository.insertEncodedLogs(encoded(3), answers)).rejects.toThrow(/Write concern/);
    expect(answers.answers.every((a) => a === DocumentAnswer.None)).toBe(true);
  });

  it('stored prompts: each command answered on its own, a refused prompt refused, the rest stored', async () => {
    const refusedFirst = {
      n: 1,
      writeErrors: [{ index: 0, code: 121, errmsg: 'Document failed validation' }],
    };
    const { repository, fake: server } = await repositoryOn(timedOut, refusedFirst);
    const prompt = (id: number) => ({
      _id: new mongo.ObjectId(id.toString(16).padStart(24, '0')),
      tenantId: 't1',
      timestamp: new Date(),
      data: 'enc:x',
      expiresAt: new Date(),
    });
    const answers = new InsertAnswers(2);
    await expect(repository.insertPrompts([prompt(1), prompt(2)], answers)).resolves.toBeUndefined();
    expect(server.inserts).toEqual([{ collection: 'request_prompts', documents: 2 }]);
    expect(answers.refused.map((r) => [r.index, r.code])).toEqual([[0, 121]]);
    expect(answers.answers[1]).toBe(DocumentAnswer.Stored);
    expect(answers.unmetWriteConcern).toHaveLength(1);
  });
});

import { createRequire } from 'node:module';
import { mongo, Types } from 'mongoose';

import { AnalyticsRepository, INSERTS_ENCODED } from './analytics.repository';
import { DocumentAnswer, InsertAnswers } from './insert-answers';
import { BsonDocumentWriter, decodeDocuments, DRIVER_OPTIONS } from './request-log.bson';
import { randomGatewayRows } from './testing/random-rows';

const { BSON } = mongo;
const driverBytes = (doc: object): Buffer => Buffer.from(BSON.serialize(doc, DRIVER_OPTIONS));

function encode(docs: readonly object[], writer = new BsonDocumentWriter(256)): Buffer {
  for (const doc of docs) writer.append(doc);
  return writer.take();
}

describe('BsonDocumentWriter', () => {
  it('writes gateway request-log rows byte for byte as the driver does (10,000 random rows)', () => {
    const writer = new BsonDocumentWriter(256);
    for (let seed = 1; seed <= 10; seed++) {
      const rows = randomGatewayRows(1000, seed);
      for (const row of rows) {
        writer.append(row);
        expect(writer.take().equals(driverBytes(row))).toBe(true);
      }
      // A batch is the rows one after another (an insert's document sequence).
      expect(encode(rows, writer).equals(Buffer.concat(rows.map(driverBytes)))).toBe(true);
    }
  });

  it('writes odd values as the driver does, through its serialiser where it does not write them itself', () => {
    class Instance {
      a = 1;
    }
    const docs: object[] = [
      {},
      { u: undefined, n: null, t: true, f: false },
      { z: 0, nz: -0, nan: Number.NaN, inf: Number.POSITIVE_INFINITY, max: 2 ** 31 - 1, over: 2 ** 31 },
      { min: -(2 ** 31), under: -(2 ** 31) - 1, big: 2 ** 53, frac: -1.5 },
      { old: new Date(-1), epoch: new Date(0), future: new Date(8.64e15), invalid: new Date(Number.NaN) },
      { id: new Types.ObjectId(), nested: { id: new Types.ObjectId(), deeper: [{ a: [1, [2, [3]]] }] } },
      { ключ: 'значение', 'k€y': '€', emoji: '🚀'.repeat(40), long: 'é'.repeat(100) },
      { lone: '\ud800 surrogate', array: [undefined, null, 'a', 1.5] },
      { bigint: 12n },
      { instance: new Instance() },
      { bytes: Buffer.from('abc') },
      { fn: () => 1, sym: Symbol('s'), after: 1 },
      { long: BSON.Long.fromNumber(5), decimal: BSON.Decimal128.fromString('1.5') },
      { withToBSON: { toBSON: () => ({ replaced: true }) } },
      { map: new Map([['a', 1]]) },
      { deep: { a: { b: { c: { d: { e: { f: { g: { h: { i: { j: 1 } } } } } } } } } } },
      Object.assign(Object.create(null) as object, { nullProto: 1 }),
      { ['1']: 'integer-like keys first', b: 2, ['0']: 'zero' },
      { sparse: Object.assign([1], { 2: 3 }) },
    ];
    for (const doc of docs) expect(encode([doc]).toString('hex')).toBe(driverBytes(doc).toString('hex'));
    expect(encode(docs).equals(Buffer.concat(docs.map(driverBytes)))).toBe(true);
  });

  it('refuses what the driver refuses, and is empty again after a failure', () => {
    const writer = new BsonDocumentWriter();
    writer.append({ ok: 1 });
    expect(() => writer.append({ 'bad\u0000key': 1 })).toThrow(/null bytes/);
    expect(() => writer.append({ 'é\u0000': 1 })).toThrow(/null bytes/);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => writer.append({ circular })).toThrow(/circular/i);
    // What was appended before stays; the failed documents left nothing.
    expect(writer.take()).toEqual(driverBytes({ ok: 1 }));
    expect(writer.length).toBe(0);
  });
});

describe('decodeDocuments', () => {
  it('gives documents the driver serialises to the same bytes (inserts without document sequences)', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const bytes = encode(randomGatewayRows(1000, seed), new BsonDocumentWriter());
      const docs = decodeDocuments(bytes);
      expect(docs).toHaveLength(1000);
      expect(Buffer.concat(docs.map(driverBytes)).equals(bytes)).toBe(true);
    }
  });
});

describe('request-log inserts', () => {
  it('send the rows pre-encoded (the driver mongoose uses has document sequences)', () => {
    // Without them inserts still work, through the driver's serialiser: this notices a driver update.
    expect(INSERTS_ENCODED).toBe(true);
  });

  it('encode each row as the driver itself puts it into an insert command', () => {
    const driverRequire = createRequire(require.resolve('mongoose'));
    const { OpMsgRequest } = driverRequire('mongodb/lib/cmap/commands') as {
      OpMsgRequest: new (db: string, command: object, options: object) => { toBin(): Buffer[] };
    };
    const rows = randomGatewayRows(200, 99);
    const message = Buffer.concat(
      new OpMsgRequest(
        'prism',
        { insert: 'request_logs_recent', documents: rows, ordered: false },
        {},
      ).toBin(),
    );
    for (const row of rows) expect(message.includes(encode([row]))).toBe(true);
  });
});

describe('AnalyticsRepository.insertEncodedLogs', () => {
  /** A logs model whose database records the insert commands and answers with `answer`. */
  function repositoryWith(answer: (command: { documents: unknown }, sent: Buffer[]) => object) {
    const sent: Buffer[][] = [];
    const model = {
      collection: { collectionName: 'request_logs_recent' },
      db: {
        db: {
          command: (command: { documents: { toBin(): Buffer } }) => {
            // The section's bytes: type 1, size, "documents\0", then the documents.
            const section = command.documents.toBin();
            const docs = section.subarray(1 + 4 + 'documents'.length + 1);
            const list: Buffer[] = [];
            for (let at = 0; at < docs.length; at += docs.readInt32LE(at))
              list.push(docs.subarray(at, at + docs.readInt32LE(at)));
            sent.push(list);
            return Promise.resolve(answer(command, list));
          },
        },
      },
    };
    const repository = new AnalyticsRepository(
      model as never,
      undefined as never,
      undefined as never,
      undefined as never,
      undefined as never,
    );
    return { repository, sent };
  }

  it('sends the documents in insert commands of at most 2000, duplicates skipped, other errors with their index', async () => {
    const rows = randomGatewayRows(4500, 3);
    const bytes = encode(rows, new BsonDocumentWriter());
    const ok = repositoryWith(() => ({ ok: 1, n: 0 }));
    await ok.repository.insertEncodedLogs(bytes);
    expect(ok.sent.map((docs) => docs.length)).toEqual([2000, 2000, 500]);
    expect(Buffer.concat(ok.sent.flat()).equals(bytes)).toBe(true);

    const duplicates = repositoryWith((_, docs) => ({
      ok: 1,
      writeErrors: [{ index: docs.length - 1, code: 11000, errmsg: 'dup' }],
    }));
    await expect(duplicates.repository.insertEncodedLogs(bytes)).resolves.toBeUndefined();

    let call = 0;
    const failing = repositoryWith(() =>
      ++call === 2 ? { ok: 1, writeErrors: [{ index: 7, code: 2, errmsg: 'bad' }] } : { ok: 1 },
    );
    await expect(failing.repository.insertEncodedLogs(bytes)).rejects.toMatchObject({
      writeErrors: [{ index: 2007, code: 2 }],
    });
    await expect(failing.repository.insertEncodedLogs(Buffer.from([9, 0, 0, 0, 0]))).rejects.toThrow(
      /Malformed/,
    );
  });

  it('with answers: records each document (stored, duplicate, refused), throws only for transient errors', async () => {
    const rows = randomGatewayRows(4500, 4);
    const bytes = encode(rows, new BsonDocumentWriter());
    let call = 0;
    const refused = repositoryWith(() =>
      ++call === 2
        ? {
            ok: 1,
            writeErrors: [
              { index: 7, code: 2, errmsg: 'bad' },
              { index: 8, code: 11000, errmsg: 'dup' },
            ],
          }
        : { ok: 1 },
    );
    const answers = new InsertAnswers(4500);
    await expect(refused.repository.insertEncodedLogs(bytes, answers)).resolves.toBeUndefined();
    expect(answers.refused).toEqual([{ index: 2007, code: 2, errmsg: 'bad' }]);
    expect(answers.answers.filter((a) => a === DocumentAnswer.Stored)).toHaveLength(4499);
    expect(answers.settled).toBe(true);

    // A stepdown answered per document: the others stored, the insert throws (retry).
    const later = repositoryWith(() => ({
      ok: 1,
      writeErrors: [{ index: 3, code: 11602, errmsg: 'stepdown' }],
    }));
    const laterAnswers = new InsertAnswers(4500);
    await expect(later.repository.insertEncodedLogs(bytes, laterAnswers)).rejects.toThrow(/for now/);
    expect(laterAnswers.answers[3]).toBe(DocumentAnswer.Later);
    expect(laterAnswers.refused).toEqual([]);

    // The second command fails as a whole (network): the first 2000 answered, the rest not, and it throws.
    call = 0;
    const network = repositoryWith(() => {
      if (++call === 2) throw new mongo.MongoNetworkError('connection reset');
      return { ok: 1 };
    });
    const networkAnswers = new InsertAnswers(4500);
    await expect(network.repository.insertEncodedLogs(bytes, networkAnswers)).rejects.toThrow(/reset/);
    expect(network.sent).toHaveLength(2);
    expect(networkAnswers.answers.subarray(0, 2000).every((a) => a === DocumentAnswer.Stored)).toBe(true);
    expect(networkAnswers.answers.subarray(2000).every((a) => a === DocumentAnswer.None)).toBe(true);
  });

  it('with answers: a write concern left unmet counts its rows stored, unless the primary changed', async () => {
    const rows = randomGatewayRows(3, 6);
    const bytes = encode(rows, new BsonDocumentWriter());
    // As the driver delivers it: a reply with a write concern error is thrown.
    const concernError = (code: number, errmsg: string) => (): never => {
      throw new mongo.MongoWriteConcernError({ ok: 1, n: 3, writeConcernError: { code, errmsg } });
    };
    const timedOut = repositoryWith(concernError(64, 'waiting for replication timed out'));
    const answers = new InsertAnswers(3);
    await expect(timedOut.repository.insertEncodedLogs(bytes, answers)).resolves.toBeUndefined();
    expect(answers.settled).toBe(true);
    expect(answers.unmetWriteConcern).toEqual([{ code: 64, errmsg: 'waiting for replication timed out' }]);
    // Without answers, as before: the error is thrown.
    await expect(timedOut.repository.insertEncodedLogs(bytes)).rejects.toThrow(/Write concern/);

    // The primary stepped down while waiting: its writes may be rolled back, so they are sent again.
    const steppedDown = repositoryWith(concernError(189, 'stepdown'));
    const again = new InsertAnswers(3);
    await expect(steppedDown.repository.insertEncodedLogs(bytes, again)).rejects.toThrow(/Write concern/);
    expect(again.answers.every((a) => a === DocumentAnswer.None)).toBe(true);
    expect(again.unmetWriteConcern).toEqual([]);
  });

  it('with answers: a command refused because of one document is sent one document per command to find it', async () => {
    const rows = randomGatewayRows(5, 5);
    const bytes = encode(rows, new BsonDocumentWriter());
    const tooLarge = (): never => {
      throw new mongo.MongoServerError({ code: 10334, errmsg: 'BSONObjectTooLarge', ok: 0 });
    };
    const split = repositoryWith((_, docs) =>
      docs.length > 1 || docs[0]!.equals(encode([rows[2]!])) ? tooLarge() : { ok: 1 },
    );
    const answers = new InsertAnswers(5);
    await split.repository.insertEncodedLogs(bytes, answers);
    expect(split.sent.map((docs) => docs.length)).toEqual([5, 1, 1, 1, 1, 1]);
    expect(answers.refused.map((r) => [r.index, r.code])).toEqual([[2, 10334]]);
    expect(answers.settled).toBe(true);
    // Without answers, as before: the error is thrown.
    await expect(split.repository.insertEncodedLogs(bytes)).rejects.toThrow(/TooLarge/);

    // Every document refused alone too: the command is refused, not a document; nothing is dropped.
    const every = repositoryWith(() => {
      throw new mongo.MongoServerError({ code: 2, errmsg: 'unsupported', ok: 0 });
    });
    const none = new InsertAnswers(5);
    await expect(every.repository.insertEncodedLogs(bytes, none)).rejects.toThrow(/unsupported/);
    expect(none.refused).toEqual([]);
    expect(none.answers.every((a) => a === DocumentAnswer.None)).toBe(true);
    expect(none.wholeRefusal).toBe(true);
    // Once the caller believes that answer (it kept coming), each document is refused for good.
    const believed = new InsertAnswers(5, true);
    await expect(every.repository.insertEncodedLogs(bytes, believed)).resolves.toBeUndefined();
    expect(believed.refused.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(believed.settled).toBe(true);
  });
});

import { mongo } from 'mongoose';

import { DocumentAnswer, documentAnswer, onlyWriteConcernError, writesApplied } from './insert-answers';

describe('documentAnswer', () => {
  it('reads a duplicate key as stored (a resent row)', () => {
    expect(documentAnswer(11000)).toBe(DocumentAnswer.Stored);
  });

  it('keeps rows refused for now (stepdown, cache pressure, stale routing, full disk) for a retry', () => {
    for (const code of [91, 112, 189, 10107, 10058, 365, 334, 63, 150, 13388, 14031]) {
      expect({ code, answer: documentAnswer(code) }).toEqual({ code, answer: DocumentAnswer.Later });
    }
  });

  it('refuses for good what the document itself causes', () => {
    for (const code of [2, 52, 53, 10334, 17419, 121]) {
      expect({ code, answer: documentAnswer(code) }).toEqual({ code, answer: DocumentAnswer.Refused });
    }
  });
});

describe('onlyWriteConcernError', () => {
  const bulkError = (writeErrors: object[], concern?: { code: number; errmsg: string }) =>
    new mongo.MongoBulkWriteError(
      { message: 'write failed', code: concern?.code ?? 2, writeErrors } as never,
      {
        getWriteConcernError: () => concern,
      } as never,
    );

  it('reads a driver write that failed only on its write concern', () => {
    const concern = onlyWriteConcernError(
      bulkError([], { code: 64, errmsg: 'waiting for replication timed out' }),
    );
    expect(concern).toEqual({ code: 64, errmsg: 'waiting for replication timed out' });
    expect(writesApplied(concern!)).toBe(true);
    expect(writesApplied({ code: 189, errmsg: 'stepdown' })).toBe(false);
  });

  it('leaves per-document errors and other failures to the caller', () => {
    expect(
      onlyWriteConcernError(bulkError([{ index: 0, code: 2 }], { code: 64, errmsg: 'x' })),
    ).toBeUndefined();
    expect(onlyWriteConcernError(bulkError([]))).toBeUndefined();
    expect(onlyWriteConcernError(new Error('network'))).toBeUndefined();
  });
});

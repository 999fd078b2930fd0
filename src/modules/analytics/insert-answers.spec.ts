import { DocumentAnswer, documentAnswer, writesApplied } from './insert-answers';

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

describe('writesApplied', () => {
  it('keeps writes a replication timeout left unconfirmed, resends after a stepdown or a shard network error', () => {
    expect(writesApplied({ code: 64, errmsg: 'waiting for replication timed out' })).toBe(true);
    expect(writesApplied({ code: 100, errmsg: 'UnsatisfiableWriteConcern' })).toBe(true);
    for (const code of [189, 11602, 91, 6, 9001])
      expect({ code, applied: writesApplied({ code }) }).toEqual({ code, applied: false });
  });
});

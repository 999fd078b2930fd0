import { DocumentAnswer, documentAnswer } from './insert-answers';

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

import { parseIsoDate } from './iso-date';

describe('parseIsoDate', () => {
  it.each(['2026-01-31', '2026-01-31T12:00', '2026-01-31T12:00:05Z', '2026-01-31T12:00:05.123+02:00'])(
    'reads %s',
    (value) => expect(parseIsoDate(value)).toBeInstanceOf(Date),
  );

  it.each(['0.5', '5', 'May 1 2000', '2026-13-01', '2026-01-31 12:00', '', 5, null])(
    'refuses %j (new Date() would guess)',
    (value) => expect(parseIsoDate(value)).toBeUndefined(),
  );
});

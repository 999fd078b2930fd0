import { failureDelayMs } from './login-protection';

describe('failureDelayMs (growing delay after failed logins)', () => {
  it('lets two failures pass, then doubles from the base, capped at 8 s', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => failureDelayMs(n, 250))).toEqual([0, 0, 250, 500, 1000, 2000]);
    expect(failureDelayMs(30, 250)).toBe(8000);
  });

  it('is off with a zero base', () => {
    expect(failureDelayMs(10, 0)).toBe(0);
  });
});

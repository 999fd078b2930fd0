import { HttpErrorResponse } from '@angular/common/http';

import { toApiProblem } from './api-problem';

describe('toApiProblem', () => {
  it('keeps per-field validation messages and replaces the raw summary', () => {
    const problem = toApiProblem(
      new HttpErrorResponse({
        status: 400,
        error: {
          statusCode: 400,
          error: 'Bad Request',
          message: 'Validation failed: name must be longer',
          details: [
            { field: 'name', messages: ['name must be longer'] },
            { field: 'config.baseUrl', messages: ['must be a URL', 'must use https'] },
          ],
        },
      }),
    );
    expect(problem.status).toBe(400);
    expect(problem.message).toBe('Please correct the highlighted fields.');
    expect(problem.fieldErrors).toEqual({
      name: ['name must be longer'],
      'config.baseUrl': ['must be a URL', 'must use https'],
    });
  });

  it('uses the server message for other errors', () => {
    const problem = toApiProblem(
      new HttpErrorResponse({ status: 409, error: { statusCode: 409, message: 'Slug already taken' } }),
    );
    expect(problem).toEqual({ status: 409, message: 'Slug already taken', fieldErrors: {} });
  });

  it('explains an unreachable server', () => {
    expect(toApiProblem(new HttpErrorResponse({ status: 0 })).message).toMatch(/could not be reached/);
  });

  it('ignores malformed details instead of throwing', () => {
    const problem = toApiProblem(
      new HttpErrorResponse({ status: 400, error: { message: 'Bad', details: [{ field: 1 }, 'x', null] } }),
    );
    expect(problem.fieldErrors).toEqual({});
    expect(problem.message).toBe('Bad');
  });

  it('handles non-HTTP errors', () => {
    expect(toApiProblem(new Error('boom'))).toEqual({ status: -1, message: 'boom', fieldErrors: {} });
  });
});

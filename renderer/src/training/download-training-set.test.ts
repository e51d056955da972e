import { describe, expect, it } from 'vitest';
import { FStoreApiError } from '@shared/api/client.js';
import { apiErrorOfResponse } from './download-training-set.js';

describe('apiErrorOfResponse', () => {
  it("rebuilds the service's error, e.g. an expired result", () => {
    const body = { error: { code: 'FSTORE_JOB_RESULT_NOT_FOUND', message: 'The result has expired', details: { hours: 24 } } };
    const error = apiErrorOfResponse(404, JSON.stringify(body), 'GET /api/jobs/{id}/result');
    expect(error).toBeInstanceOf(FStoreApiError);
    expect(error).toMatchObject({ status: 404, code: 'FSTORE_JOB_RESULT_NOT_FOUND', message: 'The result has expired', details: { hours: 24 } });
  });

  it('names the request when the answer is not an error body', () => {
    expect(apiErrorOfResponse(502, '<html>Bad gateway</html>', 'GET /api/jobs/{id}/result').message).toBe('HTTP 502 from GET /api/jobs/{id}/result');
  });
});

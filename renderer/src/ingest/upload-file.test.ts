import { describe, expect, it } from 'vitest';
import { FStoreApiError } from '@shared/api/client.js';
import { readUploadResponse } from './upload-file.js';

describe('readUploadResponse', () => {
  it('returns the receipt of a stored upload', () => {
    const receipt = { upload_id: 'a1', filename: 'dados.csv', format: 'csv', size_bytes: 120 };
    expect(readUploadResponse(201, JSON.stringify(receipt))).toEqual(receipt);
  });

  it("rebuilds the service's error", () => {
    const body = { error: { code: 'FSTORE_PAYLOAD_TOO_LARGE', message: 'The upload exceeds the limit', details: { limit: 10 } } };
    let err: unknown;
    try {
      readUploadResponse(413, JSON.stringify(body));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FStoreApiError);
    expect(err).toMatchObject({ status: 413, code: 'FSTORE_PAYLOAD_TOO_LARGE', message: 'The upload exceeds the limit', details: { limit: 10 } });
  });

  it('explains an answer that is not the expected JSON', () => {
    expect(() => readUploadResponse(502, '<html>Bad gateway</html>')).toThrow('HTTP 502 from POST /api/uploads/');
    expect(() => readUploadResponse(201, '{}')).toThrow('without an upload_id');
  });
});

import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.ts';

describe('GET /api/health', () => {
  const t = useTestApp();

  it('reports status, database kind and version', async () => {
    const response = await t.request({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: t.database.kind, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});

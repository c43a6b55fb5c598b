import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiErrorFrom, apiErrorFromResponse, NETWORK_ERROR, request, UNEXPECTED_RESPONSE } from './client.ts';

const body = (error: unknown) => JSON.stringify({ error });

describe('apiErrorFrom', () => {
  it('reads code, message and field details from the standard error body', () => {
    const error = apiErrorFrom(
      409,
      body({ code: 'conflict', message: 'A group with this slug already exists', details: [{ path: '/slug', message: 'is taken' }] }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'conflict', message: 'A group with this slug already exists' });
    expect(error.fieldDetails).toEqual([{ path: '/slug', message: 'is taken' }]);
    expect(error.retryAfterSeconds).toBeNull();
  });

  it('keeps only well-formed details as field details', () => {
    const details = [{ path: '/email', message: 'must match format "email"' }, { path: 3 }, 'oops', null];
    const error = apiErrorFrom(400, body({ code: 'invalid_input', message: 'Invalid input: /email', details }));
    expect(error.details).toEqual(details);
    expect(error.fieldDetails).toEqual([{ path: '/email', message: 'must match format "email"' }]);
  });

  it('has no field details when details is not an array', () => {
    const error = apiErrorFrom(404, body({ code: 'not_found', message: 'No such group' }));
    expect(error.details).toBeUndefined();
    expect(error.fieldDetails).toEqual([]);
  });

  it('takes the retry time of a 429 from its details, else from Retry-After seconds or date', () => {
    const limited = { code: 'rate_limited', message: 'Too many requests; try again in 90 s' };
    expect(apiErrorFrom(429, body({ ...limited, details: { retryAfterSeconds: 90 } }), '5').retryAfterSeconds).toBe(90);
    expect(apiErrorFrom(429, body(limited), '42').retryAfterSeconds).toBe(42);
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(apiErrorFrom(429, body(limited), 'Wed, 01 Jan 2025 12:02:00 GMT', now).retryAfterSeconds).toBe(120);
    expect(apiErrorFrom(429, body(limited), 'soon').retryAfterSeconds).toBeNull();
  });

  it('describes a body that is not ours (a proxy page, an empty body) without inventing a server code', () => {
    const error = apiErrorFrom(502, '<html>Bad gateway</html>');
    expect(error).toMatchObject({ status: 502, code: UNEXPECTED_RESPONSE });
    expect(error.message).toContain('502');
    expect(apiErrorFrom(500, '').code).toBe(UNEXPECTED_RESPONSE);
    expect(apiErrorFrom(500, JSON.stringify({ error: 'text' })).code).toBe(UNEXPECTED_RESPONSE);
    expect(apiErrorFrom(429, '', '7')).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 7 });
  });

  it('builds the same error from a fetch Response', async () => {
    const response = new Response(body({ code: 'rate_limited', message: 'Too many requests' }), {
      status: 429,
      headers: { 'retry-after': '30', 'content-type': 'application/json' },
    });
    expect(await apiErrorFromResponse(response)).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 30 });
  });
});

describe('request', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends JSON with the session cookie and returns the parsed body', async () => {
    const fetchMock = vi.fn(async () => Response.json({ user: { id: 'u1' } }, { status: 201 }));
    vi.stubGlobal('fetch', fetchMock);
    const result = await request<{ user: { id: string } }>('POST', '/api/auth/register', { body: { email: 'a@b.c' } });
    expect(result).toEqual({ user: { id: 'u1' } });
    expect(fetchMock).toHaveBeenCalledWith('/api/auth/register', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: '{"email":"a@b.c"}',
    });
  });

  it('adds defined query parameters and returns undefined for 204', async () => {
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetchMock);
    expect(await request('GET', '/api/groups/x/events', { query: { before: 20, limit: undefined } })).toBeUndefined();
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/groups/x/events?before=20');
  });

  it('throws an ApiError for an error status', async () => {
    vi.stubGlobal('fetch', async () => Response.json({ error: { code: 'invalid_credentials', message: 'Email or password is wrong' } }, { status: 401 }));
    await expect(request('POST', '/api/auth/login', { body: {} })).rejects.toMatchObject({
      name: 'ApiError',
      status: 401,
      code: 'invalid_credentials',
    });
  });

  it('turns a network failure into an ApiError with status 0', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(request('GET', '/api/me')).rejects.toMatchObject({ status: 0, code: NETWORK_ERROR });
  });
});

import type { ErrorDetail } from '@draftroom/shared';

/** Codes the client adds to the server's own (see ERROR_CODES in @draftroom/shared). */
export const NETWORK_ERROR = 'network';
export const UNEXPECTED_RESPONSE = 'unexpected_response';

/**
 * A failed API call, carrying the standard error body `{"error": {"code", "message", "details"}}`.
 * Branch on `status` and `code`, never on `message` (that is for people).
 */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** For 429: how long to wait before trying again. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  /** The per-field problems the server named, e.g. `{ path: '/email', message: 'is already registered' }`. */
  get fieldDetails(): ErrorDetail[] {
    return Array.isArray(this.details) ? this.details.filter(isErrorDetail) : [];
  }
}

function isErrorDetail(value: unknown): value is ErrorDetail {
  if (typeof value !== 'object' || value === null) return false;
  const { path, message } = value as Record<string, unknown>;
  return typeof path === 'string' && typeof message === 'string';
}

function parseRetryAfter(header: string | null, details: unknown, now: number): number | null {
  if (typeof details === 'object' && details !== null) {
    const seconds = (details as Record<string, unknown>).retryAfterSeconds;
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  }
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

/** Builds the ApiError for a non-2xx answer from its status, raw body text and Retry-After header. */
export function apiErrorFrom(status: number, bodyText: string, retryAfterHeader: string | null = null, now = Date.now()): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const error = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message, details } = error as Record<string, unknown>;
    if (typeof code === 'string' && typeof message === 'string') {
      return new ApiError(status, code, message, details, parseRetryAfter(retryAfterHeader, details, now));
    }
  }
  // Not our body: a proxy, or the dev server while the API restarts.
  const retryAfter = parseRetryAfter(retryAfterHeader, undefined, now);
  if (status === 429) {
    return new ApiError(status, 'rate_limited', 'Too many requests', undefined, retryAfter);
  }
  return new ApiError(status, UNEXPECTED_RESPONSE, `The server answered with an unexpected response (HTTP ${status})`, undefined, retryAfter);
}

export async function apiErrorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  return apiErrorFrom(response.status, text, response.headers.get('retry-after'));
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * One call to the API: JSON in and out, the session cookie sent along. The browser adds the Origin
 * header the server's cross-site check needs to state-changing requests by itself.
 */
export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let url = path;
  if (options.query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query)) if (value !== undefined) params.set(key, String(value));
    const search = params.toString();
    if (search) url += `?${search}`;
  }

  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, NETWORK_ERROR, 'Could not reach Draftroom. Check your connection and try again.');
  }
  if (!response.ok) throw await apiErrorFromResponse(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

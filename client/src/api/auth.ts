import type { ChangePasswordBody, ConfirmBody, LoginBody, MeResponse, RegisterBody, RegistrationPending, User } from '@draftroom/shared';
import { ApiError, request } from './client.ts';

/** The signed-in user, or null when signed out. */
export async function fetchCurrentUser(signal?: AbortSignal): Promise<User | null> {
  try {
    return (await request<MeResponse>('GET', '/api/me', { signal })).user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/**
 * Signed in at once (a server without mail), or a confirmation link on its way (a server with mail:
 * the same answer whether or not the address already had an account).
 */
export async function register(body: RegisterBody): Promise<{ user: User } | RegistrationPending> {
  return request<MeResponse | RegistrationPending>('POST', '/api/auth/register', { body });
}

/** Confirms a registration with the token of its emailed link, and signs in. */
export async function confirmRegistration(body: ConfirmBody): Promise<User> {
  return (await request<MeResponse>('POST', '/api/auth/confirm', { body })).user;
}

export async function login(body: LoginBody): Promise<User> {
  return (await request<MeResponse>('POST', '/api/auth/login', { body })).user;
}

export async function logout(): Promise<void> {
  await request<void>('POST', '/api/auth/logout');
}

export async function changePassword(body: ChangePasswordBody): Promise<User> {
  return (await request<MeResponse>('POST', '/api/auth/password', { body })).user;
}

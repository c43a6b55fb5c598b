import type { ChangePasswordBody, LoginBody, MeResponse, RegisterBody, User } from '@draftroom/shared';
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

export async function register(body: RegisterBody): Promise<User> {
  return (await request<MeResponse>('POST', '/api/auth/register', { body })).user;
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

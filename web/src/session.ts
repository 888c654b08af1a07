// The signed-in account (GET/POST/DELETE /api/v1/session) and what its role may do.
import { apiDelete, apiGet, apiPost, ApiError, setCsrfToken, type Permission, type Schemas } from './api/client';

export type Me = Pick<Schemas['Session'], 'username' | 'role' | 'permissions'>;

let me: Me | null = null;

export function current(): Me | null {
  return me;
}

export function can(p: Permission): boolean {
  return me?.permissions.includes(p) ?? false;
}

/** Asks the server who is signed in (after a reload); null when nobody. */
export async function restore(): Promise<Me | null> {
  try {
    const { data } = await apiGet('/api/v1/session');
    setCsrfToken(data.csrf_token);
    me = { username: data.username, role: data.role, permissions: data.permissions };
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    me = null;
  }
  return me;
}

export async function signIn(username: string, password: string): Promise<Me> {
  const { data } = await apiPost('/api/v1/session', { username, password });
  setCsrfToken(data.csrf_token);
  me = { username: data.username, role: data.role, permissions: data.permissions };
  return me;
}

export async function signOut(): Promise<void> {
  try {
    await apiDelete('/api/v1/session');
  } finally {
    forget();
  }
}

export function forget(): void {
  me = null;
  setCsrfToken('');
}

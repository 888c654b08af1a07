// The pages' only way to the server: typed calls of /api/v1 (types generated from
// docs/openapi.json by openapi-typescript at build time, so that a route or member the server no
// longer has breaks `tsc --noEmit`). Unsafe requests carry the session's CSRF token.
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Permission = Schemas['Session']['permissions'][number];
export type Role = Schemas['Session']['role'];

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends Record<M, unknown> ? P : never;
}[keyof paths];
type Op<P extends keyof paths, M extends Method> = paths[P] extends Record<M, infer O> ? O : never;
type Content<R> = R extends { content: infer C } ? C[keyof C] : undefined;
type Responses<O> = O extends { responses: infer R } ? R : never;
type Success<O> = Responses<O> extends infer R
  ? Content<R[Extract<keyof R, 200 | 201 | 202>]> | (204 extends keyof R ? undefined : never)
  : never;
type Body<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B
    : never;
type Query<O> = O extends { parameters: { query?: infer Q } } ? Q : Record<string, never>;

/** An error answer of the server (RFC 9457 problem+json), or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Schemas['Problem']>,
  ) {
    super(problem.detail ?? `HTTP ${status}`);
  }
  get field(): string | undefined {
    return this.problem.field;
  }
}

let csrfToken = '';
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token ?? '';
}

/** Called when the server answers 401 (the session expired): the app shows the sign-in page. */
let onUnauthenticated: () => void = () => {};
export function setOnUnauthenticated(f: () => void): void {
  onUnauthenticated = f;
}

function fill(path: string, params: Record<string, string | number> | undefined): string {
  return path.replace(/\{([a-z_]+)\}/g, (_, k: string) => {
    const v = params?.[k];
    if (v === undefined) throw new Error(`missing path parameter ${k}`);
    return encodeURIComponent(String(v));
  });
}

function queryString(q: Record<string, unknown> | undefined): string {
  if (!q) return '';
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  }
  const text = s.toString();
  return text ? `?${text}` : '';
}

export interface CallOptions {
  params?: Record<string, string | number>;
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Answer<T> {
  data: T;
  status: number;
  headers: Headers;
}

async function call<T>(method: Method, path: string, o: CallOptions): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...o.headers };
  if (method !== 'get') headers['X-CSRF-Token'] = csrfToken;
  let body: string | undefined;
  if (o.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(o.body);
  }
  let res: Response;
  try {
    res = await fetch(fill(path, o.params) + queryString(o.query), {
      method: method.toUpperCase(),
      headers,
      body,
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError(0, { detail: String(e) });
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text };
    }
  }
  if (!res.ok) {
    const problem = (data ?? {}) as Partial<Schemas['Problem']>;
    if (res.status === 401 && !path.endsWith('/session')) onUnauthenticated();
    throw new ApiError(res.status, problem);
  }
  return { data: data as T, status: res.status, headers: res.headers };
}

export function apiGet<P extends PathsWith<'get'>>(
  path: P,
  o: Omit<CallOptions, 'body' | 'query'> & { query?: Query<Op<P, 'get'>> } = {},
): Promise<Answer<Success<Op<P, 'get'>>>> {
  return call('get', path, o as CallOptions);
}

export function apiPost<P extends PathsWith<'post'>>(
  path: P,
  body: Body<Op<P, 'post'>>,
  o: Omit<CallOptions, 'body'> = {},
): Promise<Answer<Success<Op<P, 'post'>>>> {
  return call('post', path, { ...o, body });
}

export function apiPatch<P extends PathsWith<'patch'>>(
  path: P,
  body: Body<Op<P, 'patch'>>,
  o: Omit<CallOptions, 'body'> = {},
): Promise<Answer<Success<Op<P, 'patch'>>>> {
  return call('patch', path, { ...o, body });
}

export function apiDelete<P extends PathsWith<'delete'>>(
  path: P,
  o: CallOptions = {},
): Promise<Answer<Success<Op<P, 'delete'>>>> {
  return call('delete', path, o);
}

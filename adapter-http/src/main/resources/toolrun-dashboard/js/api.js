// The dashboard's one way to the API: every call carries the token, every failure becomes an
// ApiError with the server's status, code and message.

const TOKEN_KEY = 'toolrun.token';

/** The bearer token, kept for this browser tab's session only. */
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** A failed call: the API's error body, or what went wrong on the way to it. */
export class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The request headers every call sends. */
export function authHeaders(extra = {}) {
  return {Authorization: `Bearer ${token.get() ?? ''}`, ...extra};
}

/**
 * Calls the API; answers its JSON body (null for 204), or throws an ApiError. A refused token signs
 * the reader out (the shell listens for toolrun:unauthorized), unless `signingIn` says this call
 * is the one that tries the token.
 */
export async function api(path, {method = 'GET', body, signingIn = false} = {}) {
  const headers = authHeaders({Accept: 'application/json'});
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'UNREACHABLE', `toolrun cannot be reached: ${e.message}`);
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (!signingIn) signOutIfRefused(error);
    throw error;
  }
  return response.status === 204 ? null : response.json();
}

/** The ApiError a failed response stands for. */
export async function errorOf(response) {
  try {
    const error = await response.json();
    return new ApiError(response.status, error.code, error.message, error.details ?? []);
  } catch {
    return new ApiError(response.status, 'HTTP_' + response.status, response.statusText);
  }
}

/** Tells the shell to sign out when `error` says the token was refused. */
export function signOutIfRefused(error) {
  if (error.status === 401) {
    window.dispatchEvent(new CustomEvent('toolrun:unauthorized',
        {detail: `The token was refused (${error.code}: ${error.message}). Sign in again.`}));
  }
}

/** Every item of a paged list, following nextCursor. */
export async function all(path) {
  const items = [];
  let cursor = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await api(
      `${path}${separator}limit=500${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

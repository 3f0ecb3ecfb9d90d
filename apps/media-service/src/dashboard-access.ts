import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { MediaServiceError } from './errors.js';

/** The variable that holds the dashboard's access token (a secret: environment only). */
export const DASHBOARD_TOKEN_VARIABLE = 'TIERCACHE_DASHBOARD_TOKEN';

/** Shortest token accepted: a guessable one would protect nothing. */
export const MIN_TOKEN_LENGTH = 16;

/** Whether `host` only accepts connections from this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (bare.startsWith('::ffff:')) return bare.slice('::ffff:'.length).startsWith('127.');
  return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
}

/**
 * The dashboard shows prompts, which can be private: listening beyond loopback needs a token.
 * Returns the token to require (`undefined`: none configured, on loopback); throws `E_USAGE`
 * with what to do otherwise. A configured token is required on loopback too.
 */
export function dashboardToken(host: string, token: string | undefined): string | undefined {
  const configured = token === undefined || token === '' ? undefined : token;
  if (configured !== undefined && configured.length < MIN_TOKEN_LENGTH) {
    throw new MediaServiceError(
      'E_USAGE',
      `dashboard: ${DASHBOARD_TOKEN_VARIABLE} is too short (${configured.length} characters); use at least ${MIN_TOKEN_LENGTH}, e.g. from \`openssl rand -hex 24\``,
    );
  }
  if (configured === undefined && !isLoopback(host)) {
    throw new MediaServiceError(
      'E_USAGE',
      `dashboard: refusing to listen on ${host} without an access token: the dashboard shows prompts. Set ${DASHBOARD_TOKEN_VARIABLE} (at least ${MIN_TOKEN_LENGTH} characters; clients send it in the Authorization header with the Bearer scheme, or as ?token=), or listen on 127.0.0.1`,
    );
  }
  return configured;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether the request carries `token` (Bearer header or `?token=`), compared in constant time. */
export function isAuthorized(request: IncomingMessage, url: URL, token: string): boolean {
  const header = request.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
  const offered = bearer ?? url.searchParams.get('token') ?? '';
  return timingSafeEqual(digest(offered), digest(token));
}

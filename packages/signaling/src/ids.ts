import { randomBytes } from 'node:crypto';

/** 16 url-safe characters (96 random bits). Used for peer ids and call ids. */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}

/** 43 url-safe characters (256 random bits): a bearer credential that resumes a session. */
export function newResumeToken(): string {
  return randomBytes(32).toString('base64url');
}

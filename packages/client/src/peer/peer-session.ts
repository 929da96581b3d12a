/**
 * Where a Peer keeps its session so that a reloaded page gets its id back, as JSON under one key of a
 * Storage-like object (`sessionStorage` keeps it per tab, `localStorage` per origin): the id, the token the server
 * gave with it (the same id and token take the id back, even from a session that still holds it), and the
 * signaling session's resume token (a reload within the server's grace resumes that very session).
 */
import { DirectoryIdSchema } from '@rendezvous/protocol';

/** The part of the Web Storage API a Peer uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface PeerSession {
  id: string;
  /** The secret the server paired with the id (`peer-opened.token`). */
  token: string;
  /** The signaling session's resume token. */
  resumeToken?: string;
}

export const DEFAULT_STORAGE_KEY = 'rendezvous-peer';

/** The stored session, or null when there is none or it is unreadable (storage may be hostile or disabled). */
export function readSession(storage: StorageLike, key: string): PeerSession | null {
  let text: string | null;
  try {
    text = storage.getItem(key);
  } catch {
    return null;
  }
  if (text === null || text.length > 4096) {
    return null;
  }
  try {
    return checkSession(JSON.parse(text));
  } catch {
    return null;
  }
}

/** `value` as a PeerSession, or null when it is not one. */
export function checkSession(value: unknown): PeerSession | null {
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const { id, token, resumeToken } = value as Record<string, unknown>;
  if (!DirectoryIdSchema.safeParse(id).success || typeof token !== 'string' || token.length < 16 || token.length > 128) {
    return null;
  }
  if (resumeToken !== undefined && (typeof resumeToken !== 'string' || resumeToken.length > 512)) {
    return null;
  }
  return { id: id as string, token, ...(resumeToken === undefined ? {} : { resumeToken }) };
}

export function writeSession(storage: StorageLike, key: string, session: PeerSession): void {
  try {
    storage.setItem(key, JSON.stringify(session));
  } catch {
    // storage full or disabled: the id is then not kept across a reload
  }
}

export function clearSession(storage: StorageLike, key: string): void {
  try {
    storage.removeItem(key);
  } catch {
    // ignore
  }
}

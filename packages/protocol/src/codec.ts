import type { z } from 'zod';
import { ClientMessageSchema, type ClientMessage } from './client-messages.js';
import type { ErrorCode } from './errors.js';
import { ServerMessageSchema, type ServerMessage } from './server-messages.js';

export type ParseResult<T> = { ok: true; message: T } | { ok: false; code: ErrorCode; detail: string; requestId?: string };

/** Pulls a usable requestId out of a frame that failed validation, so the error can be matched to it. */
function salvageRequestId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const id = (value as Record<string, unknown>)['requestId'];
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(message)'}: ${issue.message}`)
    .join('; ');
}

function parseWith<T>(schema: z.ZodType<T>, text: string): ParseResult<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: 'BAD_JSON', detail: error instanceof Error ? error.message : 'invalid JSON' };
  }
  const result = schema.safeParse(value);
  if (result.success) {
    return { ok: true, message: result.data };
  }
  const requestId = salvageRequestId(value);
  return {
    ok: false,
    code: 'BAD_MESSAGE',
    detail: describeIssues(result.error),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

/** Parses one text frame from a client. Never throws. */
export function parseClientMessage(text: string): ParseResult<ClientMessage> {
  return parseWith(ClientMessageSchema, text);
}

/** Parses one text frame from the server. Never throws. */
export function parseServerMessage(text: string): ParseResult<ServerMessage> {
  return parseWith(ServerMessageSchema, text);
}

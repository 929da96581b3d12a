/** What to tell a person about an error, by its stable code (see @rendezvous/protocol's catalog). */
import { ERROR_CATALOG, RendezvousError, isErrorCode, type ErrorCode } from '@rendezvous/protocol';

export interface ErrorText {
  code: ErrorCode | null;
  title: string;
  detail: string;
}

const TEXT: Partial<Record<ErrorCode, { title: string; detail: string }>> = {
  PERMISSION_DENIED: {
    title: 'Camera and microphone are blocked',
    detail:
      'Allow access with the camera icon in the address bar (or in the site settings), then press "Try again". ' +
      'You can also join without them.',
  },
  NO_DEVICE: {
    title: 'No camera or microphone found',
    detail: 'Plug one in and press "Try again", or join anyway: others will see your name instead of video.',
  },
  DEVICE_IN_USE: {
    title: 'Camera or microphone is busy',
    detail: 'Another application (or another tab) is using it. Close that, then press "Try again".',
  },
  CONSTRAINT_NOT_SATISFIED: {
    title: 'That device cannot be used',
    detail: 'The chosen camera or microphone cannot deliver what was asked for. Pick another one.',
  },
  INSECURE_CONTEXT: {
    title: 'This page is not secure',
    detail:
      'Browsers allow the camera and microphone only on https:// pages or on localhost. Open this page over ' +
      'https: start the server with --https (it can make its own certificate), then use the https:// address.',
  },
  UNSUPPORTED_BROWSER: {
    title: 'This browser cannot make calls',
    detail: 'It lacks a WebRTC feature Rendezvous needs. Try a current Chrome, Edge, Firefox or Safari.',
  },
  SIGNALING_UNREACHABLE: {
    title: 'Cannot reach the server',
    detail: 'Check your network connection and that the Rendezvous server is running, then try again.',
  },
  SIGNALING_CLOSED: { title: 'Disconnected from the server', detail: 'Reload the page to connect again.' },
  PROTOCOL_VERSION: {
    title: 'The app is out of date',
    detail: 'The server speaks a different protocol version. Reload the page to get the current app.',
  },
  UNAUTHORIZED: { title: 'Not allowed', detail: 'The server refused this session.' },
  ROOM_FULL: { title: 'This room is full', detail: 'Try again later, or start a new room.' },
  ROOM_LIMIT: { title: 'The server is busy', detail: 'It has as many rooms as it allows. Try again later.' },
  ALREADY_IN_ROOM: { title: 'Already in a room', detail: 'Leave the other room first.' },
  PEER_NOT_FOUND: {
    title: 'Nobody is online with that id',
    detail: 'Call links stop working when the other person closes their page. Ask them for a fresh link.',
  },
  CALL_SELF: { title: 'That is your own link', detail: 'Send it to someone else so they can call you.' },
  ALREADY_IN_CALL: { title: 'Already in a call', detail: 'Hang up the current call first.' },
  TIMEOUT: { title: 'The server did not answer', detail: 'Check your connection and try again.' },
  CONNECTION_FAILED: {
    title: 'Media connection failed',
    detail: 'A direct or relayed connection could not be made. A firewall may be blocking it.',
  },
  NEGOTIATION_FAILED: { title: 'Could not set up media', detail: 'Setting up the connection failed.' },
  SERVER_SHUTTING_DOWN: { title: 'The server is restarting', detail: 'It will be back shortly.' },
};

/** The error's stable code when it has one (RendezvousError or anything shaped like it). */
export function errorCode(error: unknown): ErrorCode | null {
  if (typeof error === 'object' && error !== null && 'code' in error && isErrorCode(error.code)) {
    return error.code;
  }
  return null;
}

export function describeError(error: unknown): ErrorText {
  const code = errorCode(error);
  const known = code === null ? undefined : TEXT[code];
  if (known) {
    return { code, ...known };
  }
  if (code !== null) {
    return { code, title: ERROR_CATALOG[code].message, detail: messageOf(error) };
  }
  return { code: null, title: 'Something went wrong', detail: messageOf(error) };
}

/**
 * The title of the "room is full" screen: "This room is full (6 of 6)" from the error's structured `detail`
 * (`{ size, capacity }`), or just "This room is full" when the error carries none.
 */
export function roomFullTitle(error: unknown): string {
  const detail = error instanceof RendezvousError ? error.detail : undefined;
  const size = detail?.['size'];
  const capacity = detail?.['capacity'];
  const counts = typeof size === 'number' && typeof capacity === 'number' ? ` (${size} of ${capacity})` : '';
  return `This room is full${counts}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

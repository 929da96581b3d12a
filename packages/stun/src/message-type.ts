/**
 * Message header constants and the message type field: a 12-bit method and a 2-bit class interleaved in
 * 14 bits (RFC 8489 §5, https://www.rfc-editor.org/rfc/rfc8489#section-5):
 *
 *     bit: 13 12 11 10  9  8  7  6  5  4  3  2  1  0
 *          M11 M10 M9 M8 M7 C1 M6 M5 M4 C0 M3 M2 M1 M0
 */

export const MAGIC_COOKIE = 0x2112a442;
export const HEADER_LENGTH = 20;
export const TRANSACTION_ID_LENGTH = 12;
/** The largest message: a 20-byte header and a 16-bit length of attributes (a multiple of 4). */
export const MAX_MESSAGE_LENGTH = HEADER_LENGTH + 0xfffc;

/** STUN (RFC 8489 §18.2) and TURN (RFC 8656 §17) methods. A decoded method may be any 12-bit number. */
export const StunMethod = {
  Binding: 0x001,
  Allocate: 0x003,
  Refresh: 0x004,
  Send: 0x006,
  Data: 0x007,
  CreatePermission: 0x008,
  ChannelBind: 0x009,
} as const;

export type KnownStunMethod = (typeof StunMethod)[keyof typeof StunMethod];

/** The four message classes (RFC 8489 §5). */
export const StunClass = {
  Request: 0,
  Indication: 1,
  SuccessResponse: 2,
  ErrorResponse: 3,
} as const;

export type StunClass = (typeof StunClass)[keyof typeof StunClass];

const METHOD_NAMES: Record<number, string> = {
  [StunMethod.Binding]: 'Binding',
  [StunMethod.Allocate]: 'Allocate',
  [StunMethod.Refresh]: 'Refresh',
  [StunMethod.Send]: 'Send',
  [StunMethod.Data]: 'Data',
  [StunMethod.CreatePermission]: 'CreatePermission',
  [StunMethod.ChannelBind]: 'ChannelBind',
};

const CLASS_NAMES = ['request', 'indication', 'success response', 'error response'] as const;

/** "Binding", "Allocate", ... or "0x00a" for a method this codec has no name for. */
export function methodName(method: number): string {
  return METHOD_NAMES[method] ?? `0x${method.toString(16).padStart(3, '0')}`;
}

/** "request", "indication", "success response" or "error response". */
export function className(cls: StunClass): string {
  return CLASS_NAMES[cls];
}

/** Interleaves a method (0x000-0xFFF) and a class into the 14-bit message type. */
export function messageType(method: number, cls: StunClass): number {
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((cls & 1) << 4) | ((cls & 2) << 7);
}

/** The method bits of a message type. */
export function methodOf(type: number): number {
  return (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
}

/** The class bits of a message type. */
export function classOf(type: number): StunClass {
  return (((type >> 4) & 1) | ((type >> 7) & 2)) as StunClass;
}

/**
 * What the SDK adds to peerjs's payloads. A peerjs client ignores unknown fields; two SDK peers recognise each other
 * by the `rendezvous` field on OFFER and ANSWER, and then use two extensions:
 * - an OFFER for a connection id both sides know, marked `restart`, is an ICE restart of that connection (peerjs
 *   would replace the connection);
 * - a LEAVE whose payload names one connection (`close`) ends only that connection (peerjs ends them all).
 */
import type { DeliveredDirectoryMessage } from '@rendezvous/protocol';

export const EXTENSION_FIELD = 'rendezvous';
export const EXTENSION_VERSION = 1;

export interface Extension {
  v: number;
  /** OFFER only: an ICE restart of the connection with this payload's connectionId. */
  restart?: boolean;
  /** LEAVE only: the one connection the sender closed. */
  close?: string;
}

/** The `rendezvous` field to put on a payload. */
export function extension(fields: Omit<Extension, 'v'> = {}): Record<string, Extension> {
  return { [EXTENSION_FIELD]: { v: EXTENSION_VERSION, ...fields } };
}

/** The SDK extension of a relayed payload, or null (a peerjs client, or a field that is not ours). */
export function readExtension(payload: unknown): Extension | null {
  if (typeof payload !== 'object' || payload === null) {
    return null;
  }
  const field: unknown = (payload as Record<string, unknown>)[EXTENSION_FIELD];
  if (typeof field !== 'object' || field === null) {
    return null;
  }
  const { v, restart, close } = field as Record<string, unknown>;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    return null;
  }
  if (restart !== undefined && typeof restart !== 'boolean') {
    return null;
  }
  if (close !== undefined && (typeof close !== 'string' || close.length === 0 || close.length > 64)) {
    return null;
  }
  return { v, ...(restart === undefined ? {} : { restart }), ...(close === undefined ? {} : { close }) };
}

export type ConnectionMessage = Extract<DeliveredDirectoryMessage, { type: 'OFFER' | 'ANSWER' | 'CANDIDATE' }>;
export type OfferMessage = Extract<DeliveredDirectoryMessage, { type: 'OFFER' }>;

/** The serializations this SDK speaks, as peerjs names them ('default' and 'binary-utf8' are BinaryPack). */
export type Serialization = 'binary' | 'json' | 'raw';

export function serializationOf(name: string | undefined): Serialization | null {
  switch (name) {
    case undefined:
    case 'default':
    case 'binary':
    case 'binary-utf8':
      return 'binary';
    case 'json':
      return 'json';
    case 'raw':
    case 'none':
      return 'raw';
    default:
      return null;
  }
}

/** A connection id as peerjs makes them: `mc_` (media) or `dc_` (data) and a random base-36 string. */
export function newConnectionId(type: 'media' | 'data'): string {
  const random = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  return `${type === 'media' ? 'mc_' : 'dc_'}${random.slice(0, 16)}`;
}

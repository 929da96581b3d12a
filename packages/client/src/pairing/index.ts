export {
  PairingSession,
  PAIRING_PEER_IDS,
  type PairingEvents,
  type PairingOptions,
  type PairingRole,
  type PairingState,
} from './pairing-session.js';
export {
  decodePairingBlob,
  encodePairingBlob,
  MAX_PAIRING_BLOB_CHARS,
  PAIRING_BLOB_PREFIX,
  PAIRING_MAX_AGE_MS,
  type DecodeOptions,
  type PairingBlob,
  type PairingBlobKind,
} from './blob-codec.js';
export { pairingErrorCode, PairingError, PAIRING_ERROR_CODES, type PairingErrorCode } from './pairing-errors.js';

/**
 * Stateless nonces (RFC 8489 §9.2: "the nonce ... could be a hash of the client's IP address, a timestamp and a
 * server secret"): `base64url(expiry ‖ HMAC-SHA256(secret, expiry ‖ client IP)[0..12])`. Checking one needs no
 * stored state, so a flood of unauthenticated requests costs no memory; a nonce is tied to the client IP it was
 * issued to and is refused after `lifetimeSec` (then the client gets 438 Stale Nonce and a fresh one).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const EXPIRY_BYTES = 4;
const MAC_BYTES = 12;
const NONCE_BYTES = EXPIRY_BYTES + MAC_BYTES;
/** base64url of 16 bytes, no padding. */
const NONCE_CHARS = 22;

export class NonceIssuer {
  private readonly secret: Buffer;

  constructor(
    private readonly lifetimeSec: number,
    secret?: Uint8Array,
  ) {
    this.secret = secret === undefined ? randomBytes(32) : Buffer.from(secret);
  }

  /** A fresh nonce for a client at `clientIp`, valid for the lifetime from `nowMs`. */
  issue(clientIp: string, nowMs: number): string {
    const expiry = Math.floor(nowMs / 1000) + this.lifetimeSec;
    const out = Buffer.allocUnsafe(NONCE_BYTES);
    out.writeUInt32BE(expiry >>> 0, 0);
    this.mac(out, clientIp).copy(out, EXPIRY_BYTES, 0, MAC_BYTES);
    return out.toString('base64url');
  }

  /** 'ok', 'expired' (well-formed and ours, but too old) or 'invalid' (not issued by us to this IP). */
  check(nonce: string, clientIp: string, nowMs: number): 'ok' | 'expired' | 'invalid' {
    if (nonce.length !== NONCE_CHARS || !/^[A-Za-z0-9_-]+$/.test(nonce)) {
      return 'invalid';
    }
    const bytes = Buffer.from(nonce, 'base64url');
    if (bytes.length !== NONCE_BYTES) {
      return 'invalid';
    }
    const expected = this.mac(bytes, clientIp).subarray(0, MAC_BYTES);
    if (!timingSafeEqual(expected, bytes.subarray(EXPIRY_BYTES))) {
      return 'invalid';
    }
    return bytes.readUInt32BE(0) * 1000 > nowMs ? 'ok' : 'expired';
  }

  private mac(bytes: Buffer, clientIp: string): Buffer {
    return createHmac('sha256', this.secret).update(bytes.subarray(0, EXPIRY_BYTES)).update(clientIp).digest();
  }
}

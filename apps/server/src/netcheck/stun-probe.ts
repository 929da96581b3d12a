/** STUN Binding (RFC 8489 §3): asks the server which address it sees us at (the server-reflexive address). */
import {
  addSoftware,
  getErrorCode,
  getMappedAddress,
  getXorMappedAddress,
  MessageBuilder,
  StunClass,
  StunMethod,
  type StunMessage,
  type TransportAddress,
} from '@rendezvous/stun';
import { openStunClient, ProbeError, type StunClientOptions, type StunTarget } from './stun-client.js';

export const SOFTWARE = 'rendezvous-netcheck';

export interface BindingResult {
  /** The server-reflexive address: where the server saw the request come from. */
  mapped: TransportAddress;
  rttMs: number;
  /** The server address used: "ip:port". */
  server: string;
}

/** "401 Unauthorized", from an error response's ERROR-CODE (or the class alone when it has none). */
export function errorText(message: StunMessage): string {
  try {
    const error = getErrorCode(message);
    if (error !== undefined) {
      return `${error.code} ${error.reason}`.trim();
    }
  } catch {
    // malformed ERROR-CODE
  }
  return 'error response without ERROR-CODE';
}

export async function stunBinding(target: StunTarget, options: StunClientOptions): Promise<BindingResult> {
  const client = await openStunClient(target, options);
  try {
    const request = addSoftware(new MessageBuilder(StunMethod.Binding, StunClass.Request), SOFTWARE).addFingerprint().build();
    const { response, rttMs } = await client.request(request);
    if (response.class === StunClass.ErrorResponse) {
      throw new ProbeError('REFUSED', `Binding refused: ${errorText(response)}`);
    }
    if (response.class !== StunClass.SuccessResponse) {
      throw new ProbeError('BAD_ANSWER', 'unexpected answer to Binding');
    }
    let mapped: TransportAddress | undefined;
    try {
      mapped = getXorMappedAddress(response) ?? getMappedAddress(response);
    } catch {
      throw new ProbeError('BAD_ANSWER', 'malformed mapped address in the Binding response');
    }
    if (mapped === undefined) {
      throw new ProbeError('BAD_ANSWER', 'the Binding response has no mapped address');
    }
    return { mapped, rttMs, server: client.remote };
  } finally {
    client.close();
  }
}

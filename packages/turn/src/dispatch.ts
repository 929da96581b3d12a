/**
 * First look at a client message (RFC 8656 §12, RFC 7983 demultiplexing by the first byte): ChannelData
 * (0x40-0x4F) goes straight to the allocation, a Send indication to the Send path, a request to the request
 * pipeline (request.ts). Everything else is dropped: responses, other indications, other protocols.
 */
import { HEADER_LENGTH, StunClass, StunMethod, classOf, methodOf } from '@rendezvous/stun';
import type { ClientLink } from './link.js';
import type { RequestContext } from './request-context.js';
import { handleRequest } from './request.js';
import { scanSendIndication, type SendScan } from './wire.js';

const scan: SendScan = { peerAddress: '', peerPort: 0, peerFamily: 0, dataOffset: 0, dataLength: 0, dontFragment: false };

export function dispatchPacket(ctx: RequestContext, link: ClientLink, data: Buffer): void {
  const first = data[0];
  if (first === undefined) {
    return;
  }
  if ((first & 0xc0) === 0x40) {
    // RFC 8656 §5: a ChannelData message on a 5-tuple without an allocation is silently ignored.
    link.allocation?.fromClientChannel(data);
    return;
  }
  if ((first & 0xc0) !== 0 || data.length < HEADER_LENGTH) {
    return;
  }
  const type = data.readUInt16BE(0);
  const cls = classOf(type);
  if (cls === StunClass.Indication) {
    // RFC 8656 §11.2: Send indications only; Binding indications (keepalives) need nothing.
    const allocation = link.allocation;
    if (methodOf(type) === StunMethod.Send && allocation !== undefined && !allocation.pending && scanSendIndication(data, scan)) {
      allocation.fromClientSend(data, scan);
    }
    return;
  }
  if (cls === StunClass.Request) {
    handleRequest(ctx, link, data);
  }
}

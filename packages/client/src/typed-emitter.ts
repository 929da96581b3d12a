/** The SDK's event emitter is the one the Rendezvous packages share. */
export { TypedEmitter, type EventMap, type Listener } from '@rendezvous/common';

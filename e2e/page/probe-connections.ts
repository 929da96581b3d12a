/**
 * Runs inside the browser page (part of `window.probe`, see probe.ts): the tests' own hooks on what the page
 * creates: every RTCPeerConnection, captured track and signaling frame, and negotiation steps.
 */

/**
 * Every RTCPeerConnection the SDK ever created in this page (tracked by patching the constructor). This
 * is the tests' own hook: the SDK hands out no connection, so this is how a test reaches the browser's.
 */
export const createdConnections: RTCPeerConnection[] = [];
/** Every local track ever captured in this page. */
export const capturedTracks: MediaStreamTrack[] = [];

/** Signaling frames this page's WebSockets sent and received, by message type (errors as `error:CODE`). */
export const socketFrames = { sent: {} as Record<string, number>, received: {} as Record<string, number> };

function countFrame(into: Record<string, number>, data: unknown): void {
  if (typeof data !== 'string') {
    return;
  }
  try {
    const message = JSON.parse(data) as { type?: unknown; code?: unknown };
    const key = message.type === 'error' ? `error:${String(message.code)}` : String(message.type);
    into[key] = (into[key] ?? 0) + 1;
  } catch {
    // not JSON: not ours to count
  }
}

/** Counts every frame through `socketFrames` (the SDK opens its sockets with the global WebSocket). */
function instrumentSockets(): void {
  const NativeSocket = window.WebSocket;
  class CountedSocket extends NativeSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => countFrame(socketFrames.received, event.data));
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      countFrame(socketFrames.sent, data);
      super.send(data);
    }
  }
  window.WebSocket = CountedSocket;
}

export function instrument(): void {
  instrumentSockets();
  const Native = window.RTCPeerConnection;
  class Tracked extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      createdConnections.push(this);
    }
  }
  window.RTCPeerConnection = Tracked;
  const md = navigator.mediaDevices;
  if (md !== undefined) {
    const gum = md.getUserMedia.bind(md);
    md.getUserMedia = async (constraints?: MediaStreamConstraints) => {
      const stream = await gum(constraints);
      capturedTracks.push(...stream.getTracks());
      return stream;
    };
  }
}

/** What is still running: connections not closed, local tracks not ended. */
export function leftovers(): { openConnections: number; liveTracks: number } {
  return {
    openConnections: openConnections().length,
    liveTracks: capturedTracks.filter((t) => t.readyState === 'live').length,
  };
}

/** The connections of this page that are not closed. */
export function openConnections(): RTCPeerConnection[] {
  return createdConnections.filter((pc) => pc.connectionState !== 'closed' && pc.signalingState !== 'closed');
}

/** The one open connection of a two-person call page (throws when there is not exactly one). */
export function onlyConnection(): RTCPeerConnection {
  const open = openConnections();
  if (open.length !== 1) {
    throw new Error(`expected one open connection, found ${open.length}`);
  }
  return open[0]!;
}

/** Offer/answer steps and `negotiationneeded` events seen since `watchNegotiations()`. */
export interface NegotiationCounts {
  /** RTCPeerConnection objects created in the page (a rebuilt connection shows up here). */
  connections: number;
  localDescriptions: number;
  remoteDescriptions: number;
  negotiationNeeded: number;
}

const negotiation = { localDescriptions: 0, remoteDescriptions: 0, negotiationNeeded: 0 };
const negotiationWatched = new WeakSet<RTCPeerConnection>();
let negotiationPatched = false;

/**
 * Counts every setLocalDescription/setRemoteDescription call on any connection of the page (call it
 * before joining). A renegotiation, an ICE restart or a rebuild all move these counters.
 */
export function watchNegotiations(): void {
  if (negotiationPatched) {
    return;
  }
  negotiationPatched = true;
  const proto = window.RTCPeerConnection.prototype;
  // The originals are wrapped below, and called with the connection as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const setLocal = proto.setLocalDescription;
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const setRemote = proto.setRemoteDescription;
  proto.setLocalDescription = function (this: RTCPeerConnection, ...args: unknown[]) {
    negotiation.localDescriptions += 1;
    return Reflect.apply(setLocal, this, args) as Promise<void>;
  };
  proto.setRemoteDescription = function (this: RTCPeerConnection, ...args: unknown[]) {
    negotiation.remoteDescriptions += 1;
    return Reflect.apply(setRemote, this, args) as Promise<void>;
  };
}

/** The counters; also starts counting `negotiationneeded` on connections not yet watched. */
export function negotiationCounts(): NegotiationCounts {
  for (const pc of createdConnections) {
    if (negotiationWatched.has(pc)) {
      continue;
    }
    negotiationWatched.add(pc);
    pc.addEventListener('negotiationneeded', () => {
      negotiation.negotiationNeeded += 1;
    });
  }
  return { connections: createdConnections.length, ...negotiation };
}

/** The sender of the camera (`video`) or microphone (`audio`) transceiver: the first one receiving `kind`. */
export function primarySender(pc: RTCPeerConnection, kind: 'audio' | 'video'): RTCRtpSender | null {
  return pc.getTransceivers().find((t) => t.receiver.track.kind === kind)?.sender ?? null;
}

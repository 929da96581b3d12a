import type { ClientMessageInput, RendezvousError } from '@rendezvous/protocol';
import type { RoomData } from './data/index.js';
import type { VideoCodecName } from './codecs.js';
import type { LocalMedia } from './local-media.js';
import { rtcConfigFor, type RoomInit } from './room-options.js';
import type { RoomTransportHost } from './room-transport.js';
import type { SignalingClient } from './signaling-client.js';

/** What a Room lends its transport (see RoomTransportHost): read at each call, so it follows the room's state. */
export interface TransportHostSources {
  options: RoomInit['options'];
  signaling: SignalingClient;
  media: LocalMedia | null;
  data: RoomData;
  videoCodec: () => VideoCodecName | null;
  /** Sends to the server unless the room or the session is gone. */
  send: (message: ClientMessageInput) => void;
  reportError: (error: RendezvousError) => void;
}

export function roomTransportHost(sources: TransportHostSources): RoomTransportHost {
  const { options, signaling, media, data, send } = sources;
  return {
    rtcConfig: () => rtcConfigFor(options, signaling),
    sendTracks: () => ({
      audio: media?.sendTrack('audio') ?? null,
      video: media?.sendTrack('video') ?? null,
      screen: media?.sendTrack('screen') ?? null,
      screenAudio: media?.sendTrack('screenAudio') ?? null,
    }),
    videoCodec: () => sources.videoCodec(),
    sendSignal: (to, signal) => send({ type: 'signal', to, data: signal }),
    send,
    request: (message, expect) => signaling.request(message, expect),
    outbox: {
      queuedFrames: () => signaling.queuedFrames,
      onSent: (listener) => signaling.on('sent', listener),
      relayBytesPerSecond: () => signaling.config.relayBytesPerSecond,
    },
    data: { attach: (id, channels) => data.attach(id, channels), detach: (id) => data.detach(id) },
    reportError: (error) => sources.reportError(error),
  };
}

import type { LocalMedia } from '../local-media.js';
import type { RemotePeer } from '../remote-peer.js';

/**
 * One thing a recording shows and/or plays: a person's camera and microphone, or a shared screen. Streams are
 * read again on every frame, so a device switch (tracks replaced inside the same MediaStream) is followed.
 */
export interface RecordingSource {
  /** Stable across calls while the source exists (a peer id, `local`, `<peer>:screen`). */
  id: string;
  /** Drawn on the tile (a display name). */
  label: string;
  /** Its live video track, if any, is drawn. */
  video?: MediaStream | null;
  /** Its live audio tracks are mixed in. */
  audio?: MediaStream | null;
  /** A shared screen: takes the large spot. */
  isScreen?: boolean;
}

/** Called on every frame for what to record now. Sources that disappear drop out; new ones join. */
export type RecordingSources = () => RecordingSource[];

/** What `callSources` needs of a room (a `Room` fits). */
export interface CallLike {
  readonly media: LocalMedia | null;
  readonly peers: ReadonlyMap<string, RemotePeer>;
  readonly self: { readonly displayName: string };
}

/** Own camera and microphone (the microphone only while unmuted), and own screen while sharing. */
export function localSources(media: LocalMedia, label = 'You'): RecordingSources {
  return () => localList(media, 'local', label);
}

/** One remote peer: camera and microphone, and its screen while it shares one. */
export function peerSources(peer: RemotePeer): RecordingSources {
  return () => peerList(peer);
}

/** The whole call: own media (if any) and every remote peer, with every shared screen. */
export function callSources(room: CallLike, selfLabel?: string): RecordingSources {
  return () => {
    const own = room.media === null ? [] : localList(room.media, 'local', selfLabel ?? room.self.displayName);
    return [...own, ...[...room.peers.values()].flatMap(peerList)];
  };
}

function localList(media: LocalMedia, id: string, label: string): RecordingSource[] {
  if (media.stopped) {
    return [];
  }
  const state = media.state;
  const list: RecordingSource[] = [
    { id, label, video: state.videoMuted ? null : media.stream, audio: state.audioMuted ? null : media.stream },
  ];
  const screen = media.screenStream;
  if (screen !== null) {
    list.push({ id: `${id}:screen`, label, video: screen, audio: screen, isScreen: true });
  }
  return list;
}

function peerList(peer: RemotePeer): RecordingSource[] {
  const media = peer.media;
  const list: RecordingSource[] = [
    {
      id: peer.peerId,
      label: peer.displayName,
      video: media.videoMuted ? null : peer.stream,
      audio: media.audioMuted ? null : peer.stream,
    },
  ];
  if (peer.screen !== null) {
    list.push({ id: `${peer.peerId}:screen`, label: peer.displayName, video: peer.screen, audio: peer.screen, isScreen: true });
  }
  return list;
}

/** The live video track of a source, or null. */
export function liveVideoTrack(stream: MediaStream | null | undefined): MediaStreamTrack | null {
  return stream?.getVideoTracks().find((track) => track.readyState === 'live') ?? null;
}

/** The live audio tracks of a source. */
export function liveAudioTracks(stream: MediaStream | null | undefined): MediaStreamTrack[] {
  return stream?.getAudioTracks().filter((track) => track.readyState === 'live') ?? [];
}

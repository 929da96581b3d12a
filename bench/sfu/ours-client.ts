/** The load's side of our SFU: a publisher connection per source and a subscription per subscriber, over ours-server's HTTP API. */
import type ndc from 'node-datachannel';
import type { MediaSink } from './media.js';
import { applyRemote, gathered, newPeer, receivingLine, sendingLine, whenOpen, type Receiver } from './peer.js';
import type { SfuClientSide } from './client-side.js';

async function post(url: string, sdp: string): Promise<string> {
  const response = await fetch(url, { method: 'POST', body: sdp });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${url}: ${response.status} ${text}`);
  }
  return text;
}

export function oursClientSide(baseUrl: string): SfuClientSide {
  const pcs: ndc.PeerConnection[] = [];
  const connect = async (pc: ndc.PeerConnection, tracks: ndc.Track[], url: string) => {
    pcs.push(pc);
    try {
      const offer = await gathered(pc, () => pc.setLocalDescription());
      await applyRemote(pc, await post(url, offer), 'answer');
      await whenOpen(tracks);
    } catch (error) {
      pc.close(); // a failed attempt feeds no receiver
      throw error;
    }
  };
  return {
    pcs,
    async publish(): Promise<MediaSink> {
      const video = newPeer('pub-video');
      const audio = newPeer('pub-audio');
      const videoTrack = video.addTrack(sendingLine('video', '0'));
      const audioTrack = audio.addTrack(sendingLine('audio', '0'));
      await Promise.all([
        connect(video, [videoTrack], `${baseUrl}/publish/video`),
        connect(audio, [audioTrack], `${baseUrl}/publish/audio`),
      ]);
      return { video: (p) => videoTrack.sendMessageBinary(p), audio: (p) => audioTrack.sendMessageBinary(p) };
    },
    async subscribe(name: string, receiver: Receiver): Promise<void> {
      const pc = newPeer(name);
      const tracks = [pc.addTrack(receivingLine('audio', '0')), pc.addTrack(receivingLine('video', '1'))];
      for (const track of tracks) {
        receiver.listen(track);
      }
      await connect(pc, tracks, `${baseUrl}/subscribe/${name}`);
    },
  };
}

/** The direct path the added latency is measured against: the publisher's packets straight to one libdatachannel peer. */
import type ndc from 'node-datachannel';
import type { MediaSink } from './media.js';
import { applyRemote, gathered, newPeer, sendingLine, whenOpen, type Receiver } from './peer.js';

export async function directPath(receiver: Receiver): Promise<{ sink: MediaSink; pcs: ndc.PeerConnection[] }> {
  const sender = newPeer('direct-send');
  const audio = sender.addTrack(sendingLine('audio', '0'));
  const video = sender.addTrack(sendingLine('video', '1'));
  const receiving = newPeer('direct-receive');
  const tracks: ndc.Track[] = [];
  receiving.onTrack((track) => {
    tracks.push(track);
    receiver.listen(track);
  });
  const offer = await gathered(sender, () => sender.setLocalDescription());
  const answer = await gathered(receiving, () => void applyRemote(receiving, offer, 'offer'));
  await applyRemote(sender, answer, 'answer');
  await whenOpen([audio, video, ...tracks]);
  return {
    sink: { video: (p) => video.sendMessageBinary(p), audio: (p) => audio.sendMessageBinary(p) },
    pcs: [sender, receiving],
  };
}

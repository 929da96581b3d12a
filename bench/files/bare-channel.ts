/**
 * The reference: one bare RTCDataChannel between two pages (ordered, reliable), signaled through puppeteer with
 * complete (non-trickle) descriptions. The sender reads the payload Blob in 1 MiB slices (the next one read while
 * the current one is sent) and sends 64 KiB messages while `bufferedAmount` stays under BARE_HIGH_WATER, waiting
 * for `bufferedamountlow` (threshold BARE_LOW_WATER) otherwise. The receiver only counts bytes, and says `done`
 * on the channel when it has them all; the sender's clock runs from the first read to that `done`.
 */
import type { Page } from 'puppeteer-core';

export const BARE_MESSAGE_BYTES = 64 * 1024;
export const BARE_HIGH_WATER = 4 * 1024 * 1024;
export const BARE_LOW_WATER = 1024 * 1024;

/** Connects the two pages; the channel is window.t['bareChannel'] on both sides. */
export async function connectBare(sender: Page, receiver: Page): Promise<void> {
  const offer = await sender.evaluate(async () => {
    const pc = new RTCPeerConnection();
    window.t['barePc'] = pc;
    window.t['bareChannel'] = pc.createDataChannel('bare', { ordered: true });
    await pc.setLocalDescription();
    while (pc.iceGatheringState !== 'complete') {
      await new Promise((resolve) => pc.addEventListener('icegatheringstatechange', resolve, { once: true }));
    }
    return pc.localDescription!.sdp;
  });
  const answer = await receiver.evaluate(async (sdp) => {
    const pc = new RTCPeerConnection();
    window.t['barePc'] = pc;
    pc.addEventListener('datachannel', (event) => {
      const channel = event.channel;
      channel.binaryType = 'arraybuffer';
      window.t['bareChannel'] = channel;
      channel.addEventListener('message', (e: MessageEvent<ArrayBuffer>) => {
        const received = (window.t['bareReceived'] as number) + e.data.byteLength;
        window.t['bareReceived'] = received;
        if (received === window.t['bareExpected']) {
          channel.send('done');
        }
      });
    });
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription();
    while (pc.iceGatheringState !== 'complete') {
      await new Promise((resolve) => pc.addEventListener('icegatheringstatechange', resolve, { once: true }));
    }
    return pc.localDescription!.sdp;
  }, offer);
  await sender.evaluate(async (sdp) => {
    const pc = window.t['barePc'] as RTCPeerConnection;
    const channel = window.t['bareChannel'] as RTCDataChannel;
    await pc.setRemoteDescription({ type: 'answer', sdp });
    if (channel.readyState !== 'open') {
      await new Promise((resolve) => channel.addEventListener('open', resolve, { once: true }));
    }
  }, answer);
}

/** Sends the payload once; resolves with the milliseconds until the receiver counted every byte. */
export async function bareRun(sender: Page, receiver: Page, size: number): Promise<number> {
  await receiver.evaluate((size) => {
    window.t['bareReceived'] = 0;
    window.t['bareExpected'] = size;
  }, size);
  return sender.evaluate(
    async (messageBytes, high, low) => {
      const channel = window.t['bareChannel'] as RTCDataChannel;
      const blob = window.t['payload'] as Blob;
      const readBytes = 1024 * 1024;
      channel.bufferedAmountLowThreshold = low;
      const done = new Promise((resolve) => {
        const onMessage = (e: MessageEvent) => {
          if (e.data === 'done') {
            channel.removeEventListener('message', onMessage);
            resolve(undefined);
          }
        };
        channel.addEventListener('message', onMessage);
      });
      const started = performance.now();
      let next: Promise<ArrayBuffer> | null = blob.slice(0, readBytes).arrayBuffer();
      for (let at = 0; next !== null; at += readBytes) {
        const bytes = new Uint8Array(await next);
        next = at + readBytes < blob.size ? blob.slice(at + readBytes, at + 2 * readBytes).arrayBuffer() : null;
        for (let offset = 0; offset < bytes.byteLength; offset += messageBytes) {
          if (channel.bufferedAmount > high) {
            await new Promise((resolve) => channel.addEventListener('bufferedamountlow', resolve, { once: true }));
          }
          channel.send(bytes.subarray(offset, offset + messageBytes));
        }
      }
      await done;
      return performance.now() - started;
    },
    BARE_MESSAGE_BYTES,
    BARE_HIGH_WATER,
    BARE_LOW_WATER,
  );
}

export async function closeBare(pages: Page[]): Promise<void> {
  for (const page of pages) {
    await page.evaluate(() => (window.t['barePc'] as RTCPeerConnection | undefined)?.close());
  }
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { Room } from '@rendezvous/client';
import { browserOf, useFixture } from './harness/fixture.js';
import { joinRoom, openPeerPage, waitMediaFlowing } from './harness/peer.js';
import { waitFor } from './harness/wait-for.js';

/** Chromium's payload type for Opus (what the SFU maps Opus onto for a Chromium subscriber): audio is never dropped. */
const CHROMIUM_OPUS_PT = 111;
/** While on, the SFU drops every 20th forwarded video packet (5%) after caching it: loss that only a NACK repairs. */
const loss = { on: false, seen: 0, dropped: 0 };

const fx = useFixture(
  ['chromium', 'firefox'],
  {},
  {
    sfu: {
      dropForwarded: (packet) => {
        if (!loss.on || (packet[1]! & 0x7f) === CHROMIUM_OPUS_PT || ++loss.seen % 20 !== 0) {
          return false;
        }
        loss.dropped++;
        return true;
      },
    },
  },
);

const counters = (): NonNullable<ReturnType<NonNullable<typeof fx.server.sfu>['stats']>>['counters'] => {
  const sfu = fx.server.sfu;
  assert.ok(sfu, 'the server runs an SFU');
  return { ...sfu.stats().counters };
};

/** One series of the server's /metrics text (0 when absent). */
async function metric(series: string): Promise<number> {
  // No keep-alive: a pooled connection to the server would outlive the test file and keep the process running.
  const text = await (await fetch(`${fx.server.origin}/metrics`, { headers: { connection: 'close' } })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/** A Chromium page that joined sfu room `room` with the fake camera and/or microphone; resolves with page and peer id. */
async function publisher(room: string, name: string, video = true): Promise<{ page: Page; id: string }> {
  const page = await openPeerPage(browserOf(fx, 'chromium'), fx.pages.url);
  const id = await joinRoom(page, fx.server.wsUrl, room, name, { mode: 'sfu', video, audio: true });
  return { page, id };
}

async function viewer(room: string, browser: 'chromium' | 'firefox' = 'chromium'): Promise<Page> {
  const page = await openPeerPage(browserOf(fx, browser), fx.pages.url);
  await joinRoom(page, fx.server.wsUrl, room, 'Viewer', { video: false, audio: false });
  return page;
}

interface LateJoin {
  /** From Room.join resolving, from the subscription's DTLS transport connecting, to the first decoded frame (ms). */
  joinToFrame: number;
  connectedToFrame: number;
}

/** In a fresh page: joins `room`, then times the first decoded frame of `publisherId` (polling the SDK's stats). */
function lateJoin(page: Page, room: string, publisherId: string): Promise<LateJoin> {
  return page.evaluate(
    async (wsUrl, roomName, publisherId) => {
      const room = await window.Rendezvous.Room.join(wsUrl, roomName, { displayName: 'Late', media: null });
      const joinedAt = performance.now();
      window.t['room'] = room;
      let connectedAt: number | null = null;
      const deadline = joinedAt + 10_000;
      while (performance.now() < deadline) {
        const peer = room.peers.get(publisherId);
        const stats = peer === undefined ? null : await peer.getStats();
        const now = performance.now();
        const transports: Record<string, unknown>[] = [];
        stats?.raw.forEach((report) => report.forEach((entry: Record<string, unknown>) => transports.push(entry)));
        if (connectedAt === null && transports.some((e) => e['type'] === 'transport' && e['dtlsState'] === 'connected')) {
          connectedAt = now;
        }
        if (stats !== null && stats.inbound.video.framesDecoded > 0) {
          return { joinToFrame: now - joinedAt, connectedToFrame: now - (connectedAt ?? now) };
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('no frame decoded within 10 s of joining');
    },
    fx.server.wsUrl,
    room,
    publisherId,
  );
}

test('a late joiner decodes its first frame within 1 s of its subscription connecting (a PLI reaches the publisher)', async () => {
  const presenter = await publisher('sfu-late', 'Presenter');
  const start = counters().receivedPackets;
  await waitFor(() => counters().receivedPackets > start, 'the publisher sends');
  // The scenario itself: the publisher has been live for a while, past its first keyframe.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const plisBefore = counters().plisSent;
  const page = await openPeerPage(browserOf(fx, 'chromium'), fx.pages.url);
  const timing = await lateJoin(page, 'sfu-late', presenter.id);
  console.log(
    `late joiner: first frame ${timing.joinToFrame.toFixed(0)} ms after joining, ${timing.connectedToFrame.toFixed(0)} ms after connecting`,
  );
  assert.ok(timing.connectedToFrame <= 1000, `first frame ${timing.connectedToFrame.toFixed(0)} ms after connecting`);
  assert.ok(counters().plisSent > plisBefore, 'the new subscriber made the SFU ask the publisher for a keyframe');
  await page.close();
  await presenter.page.close();
});

/** The subscriber's inbound video counters, read through the SDK (`RemotePeer.getStats().raw`). */
function inboundVideo(page: Page): Promise<{ nackCount: number; pliCount: number; framesDecoded: number }> {
  return page.evaluate(async () => {
    const room = window.t['room'] as Room;
    const totals = { nackCount: 0, pliCount: 0, framesDecoded: 0 };
    for (const peer of room.peers.values()) {
      for (const report of (await peer.getStats()).raw) {
        report.forEach((entry: Record<string, unknown>) => {
          if (entry['type'] === 'inbound-rtp' && entry['kind'] === 'video') {
            totals.nackCount += Number(entry['nackCount'] ?? 0);
            totals.pliCount += Number(entry['pliCount'] ?? 0);
            totals.framesDecoded += Number(entry['framesDecoded'] ?? 0);
          }
        });
      }
    }
    return totals;
  });
}

test('5% of forwarded video lost: the subscriber NACKs, the SFU resends from its cache, frames keep decoding', async () => {
  const presenter = await publisher('sfu-nack', 'Presenter');
  const page = await viewer('sfu-nack');
  await waitMediaFlowing(page, 1);
  const before = await inboundVideo(page);
  const sfuBefore = counters();
  loss.on = true;
  try {
    await page.waitForFunction(
      async (nacks: number) => {
        const room = window.t['room'] as Room;
        let count = 0;
        for (const peer of room.peers.values()) {
          for (const report of (await peer.getStats()).raw) {
            report.forEach((e: Record<string, unknown>) => {
              count += e['type'] === 'inbound-rtp' ? Number(e['nackCount'] ?? 0) : 0;
            });
          }
        }
        return count >= nacks;
      },
      { polling: 250, timeout: 20_000 },
      before.nackCount + 10,
    );
    const during = await inboundVideo(page);
    await waitFor(() => counters().retransmittedPackets >= sfuBefore.retransmittedPackets + 10, 'the SFU resends', 10_000);
    await page.waitForFunction(
      async (frames: number) =>
        (await window.probe.inboundCounts([...(window.t['room'] as Room).peers.values()][0]!)).framesDecoded > frames,
      { polling: 250, timeout: 10_000 },
      during.framesDecoded + 30,
    );
  } finally {
    loss.on = false;
  }
  const after = counters();
  console.log(
    `dropped ${loss.dropped}; nacked ${after.nackedPackets - sfuBefore.nackedPackets}, resent ${after.retransmittedPackets - sfuBefore.retransmittedPackets}`,
  );
  assert.ok(loss.dropped >= 10);
  assert.ok(after.nackedPackets - sfuBefore.nackedPackets >= 10, 'NACKs reached the SFU');
  assert.ok(
    (await metric('rendezvous_sfu_retransmitted_packets_total')) >= after.retransmittedPackets - 5,
    '/metrics reports them',
  );
  assert.ok((await metric('rendezvous_sfu_nacked_packets_total')) > 0);
  await page.close();
  await presenter.page.close();
});

test("an SFU room's remote peer stats, through the SDK: inbound bitrate, nackCount, pliCount, framesDecoded", async () => {
  const presenter = await publisher('sfu-stats', 'Presenter');
  const page = await viewer('sfu-stats');
  await waitMediaFlowing(page, 1);
  const stats = await page.evaluate(async (id) => {
    const room = window.t['room'] as Room;
    const sampler = new window.Rendezvous.StatsSampler(() => room.peers.values(), { intervalMs: 250 });
    const deadline = performance.now() + 10_000;
    while ((sampler.latest(id)?.bitrateIn ?? 0) === 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const bitrateIn = sampler.latest(id)?.bitrateIn ?? 0;
    sampler.close();
    const peerStats = await room.peers.get(id)!.getStats();
    const video: Record<string, unknown>[] = [];
    peerStats.raw.forEach((r) =>
      r.forEach((e: Record<string, unknown>) => e['type'] === 'inbound-rtp' && e['kind'] === 'video' && video.push(e)),
    );
    return {
      bitrateIn,
      framesDecoded: peerStats.inbound.video.framesDecoded,
      inboundBytes: peerStats.inbound.video.bytes,
      video,
    };
  }, presenter.id);
  assert.ok(stats.bitrateIn > 0, 'the stats sampler sees an inbound bitrate');
  assert.ok(stats.framesDecoded > 0 && stats.inboundBytes > 0);
  assert.equal(stats.video.length, 1, 'one inbound video stream');
  assert.equal(typeof stats.video[0]!['nackCount'], 'number');
  assert.equal(typeof stats.video[0]!['pliCount'], 'number');
  assert.ok(Number(stats.video[0]!['framesDecoded']) > 0);
  await page.close();
  await presenter.page.close();
});

/**
 * In the subscriber's page: plays every remote peer's stream (as the app does: Chromium reports a receiver's audio
 * levels only for audio it plays out), then waits for `active-speaker` naming a peer, sampling `peer.audioLevel()`.
 */
function awaitActiveSpeaker(page: Page): Promise<{ speaker: string; levels: number[] }> {
  return page.evaluate(async () => {
    const room = window.t['room'] as Room;
    for (const peer of room.peers.values()) {
      const element = document.createElement('audio');
      element.srcObject = peer.stream;
      document.body.append(element);
      void element.play().catch(() => undefined); // Firefox may hold the promise until audio flows
    }
    const levels: number[] = [];
    const timer = setInterval(() => room.peers.forEach((peer) => levels.push(peer.audioLevel())), 50);
    try {
      const speaker = await new Promise<string>((resolve, reject) => {
        room.on('active-speaker', (id) => id !== null && resolve(id));
        setTimeout(
          () => reject(new Error(`no active-speaker event within 15 s; last levels ${levels.slice(-20).join(' ')}`)),
          15_000,
        );
      });
      return { speaker, levels };
    } finally {
      clearInterval(timer);
    }
  });
}

/**
 * Replaces what a page's microphone sender sends, without telling anyone: a steady 440 Hz tone (someone talking on and
 * on), or silence (its packets then carry level 127). Chromium's fake microphone only beeps now and then, and every
 * page of one browser beeps at the same moments, so neither of two such publishers would lead for long.
 */
function sendTone(page: Page, audible: boolean): Promise<void> {
  return page.evaluate(async (audible) => {
    for (const pc of window.probe.openConnections()) {
      for (const sender of pc.getSenders()) {
        if (sender.track?.kind !== 'audio') {
          continue;
        }
        if (!audible) {
          sender.track.enabled = false;
          continue;
        }
        const context = new AudioContext();
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        gain.gain.value = 0.3;
        const destination = context.createMediaStreamDestination();
        oscillator.connect(gain).connect(destination);
        oscillator.start();
        await context.resume();
        await sender.replaceTrack(destination.stream.getAudioTracks()[0] ?? null);
      }
    }
  }, audible);
}

test("active speaker in an SFU room: the publishers' audio levels (RFC 6464) reach the subscriber", async () => {
  const ada = await publisher('sfu-speaker', 'Ada', false);
  const grace = await publisher('sfu-speaker', 'Grace', false);
  await sendTone(ada.page, true);
  await sendTone(grace.page, false);
  const pages = [await viewer('sfu-speaker'), await viewer('sfu-speaker', 'firefox')];
  try {
    const results = await Promise.all(pages.map(awaitActiveSpeaker));
    for (const [i, { speaker, levels }] of results.entries()) {
      const heard = levels.filter((level) => level > 0);
      const max = Math.max(...heard).toFixed(2);
      console.log(
        `${i === 0 ? 'Chromium' : 'Firefox'}: active speaker ${speaker}; remote levels (0..1 = -60..0 dBov) max ${max}`,
      );
      assert.equal(speaker, ada.id);
      // The receiver reports what the extension carried: whole dBov steps (level = (dBov + 60) / 60 on the SDK's scale).
      assert.ok(heard.length > 0);
      for (const level of heard) {
        const dbov = level * 60 - 60;
        assert.ok(Math.abs(dbov - Math.round(dbov)) < 1e-6, `${dbov} dBov is a whole step`);
      }
    }
  } finally {
    await Promise.all(pages.map((page) => page.close()));
    await ada.page.close();
    await grace.page.close();
  }
});

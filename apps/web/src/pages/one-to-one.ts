/**
 * 1:1 calling. `/call` shows your call link and a field to call a peer id; `/call/<peerId>` offers
 * "Call <id>". Outgoing calls ring with Cancel; incoming calls get a full-screen Accept/Reject overlay.
 */
import { CallClient, SignalingClient, type IncomingCall, type OutgoingCall } from '@rendezvous/client';
import { PeerIdSchema, type CallEndReason } from '@rendezvous/protocol';
import { expose } from '../debug.js';
import { describeError, errorCode } from '../errors-text.js';
import { openLocalMedia } from '../media.js';
import { randomGuestName } from '../room-names.js';
import type { Page } from '../router.js';
import { settings } from '../settings.js';
import { copyWithToast } from '../ui/clipboard.js';
import { Disposer } from '../ui/dom.js';
import { showIncomingCall, type IncomingOverlay } from '../ui/incoming-call.js';
import { toast } from '../ui/toasts.js';
import { mountCallSession } from './call-session.js';
import { oneToOneIdle, type IdleView } from './one-to-one-idle.js';

const OUTCOME: Record<CallEndReason, (name: string) => string> = {
  rejected: (name) => `${name} declined the call.`,
  busy: (name) => `${name} is busy in another call.`,
  timeout: (name) => `No answer from ${name}.`,
  cancelled: () => 'Call cancelled.',
  hangup: (name) => `${name} hung up.`,
  disconnected: (name) => `${name} went offline.`,
};

/** A peer id from what the user typed: a bare id or a pasted call link. */
export function parsePeerId(value: string): string | null {
  const trimmed = value.trim();
  const candidate = /\/call\/([^/?#\s]+)/.exec(trimmed)?.[1] ?? trimmed;
  return PeerIdSchema.safeParse(candidate).success ? candidate : null;
}

export const oneToOnePage: Page = (root, params) => {
  const target = params['peerId'] ?? null;
  document.title = target ? 'Call · Rendezvous' : '1:1 calls · Rendezvous';
  const page = new Disposer();
  let client: CallClient | null = null;
  let clientSubs = new Disposer();
  let idle: IdleView | null = null;
  let session: (() => void) | null = null;
  let outgoing: OutgoingCall | null = null;
  let cancelRequested = false;
  let busy = false; // dialing, ringing or in a call
  let overlay: IncomingOverlay | null = null;
  let displayName = settings.displayName || randomGuestName();

  function showIdle(): void {
    session?.();
    session = null;
    busy = false;
    root.replaceChildren();
    idle = oneToOneIdle(root, {
      target,
      displayName,
      onRename: (name) => {
        displayName = name;
        settings.displayName = name;
        void connect();
      },
      onCopyLink: (link) => void copyWithToast(link, 'Call link'),
      onCall: (peerId) => void startCall(peerId),
      onCancel: () => cancel(),
      onRetry: () => void connect(),
      parsePeerId,
    });
    idle.setClient(client);
  }

  /** Bumped by every connect(), so a slower, older attempt never replaces a newer one. */
  let attempt = 0;

  async function connect(): Promise<void> {
    const mine = ++attempt;
    clientSubs.dispose();
    client?.close();
    client = null;
    expose({ callClient: null });
    idle?.setClient(null);
    idle?.setStatus('Connecting…', 'info');
    try {
      const next = await CallClient.connect(SignalingClient.urlFor(), { displayName });
      if (page.disposed || mine !== attempt) {
        return next.close();
      }
      client = next;
      clientSubs = new Disposer();
      clientSubs.add(next.on('incoming', onIncoming));
      clientSubs.add(
        next.signaling.on('state', (state) => {
          idle?.setConnection(state);
          if (state === 'closed' && client === next) {
            idle?.setStatus('Disconnected from the server: nobody can call you now.', 'error', true);
          }
        }),
      );
      // A failed resume means a new session, so a new peer id and a new link.
      clientSubs.add(next.signaling.on('reset', () => idle?.setClient(next)));
      expose({ callClient: next });
      idle?.setClient(next);
      idle?.setStatus('', 'info');
    } catch (error) {
      if (page.disposed || mine !== attempt) {
        return;
      }
      const text = describeError(error);
      idle?.setStatus(`${text.title}. ${text.detail}`, 'error', true);
    }
  }

  async function startCall(peerId: string): Promise<void> {
    if (!client || busy) {
      return;
    }
    busy = true;
    cancelRequested = false;
    idle?.setCalling(true);
    idle?.setStatus('Starting camera…', 'info');
    const { media, error } = await openLocalMedia({ micId: settings.micId, cameraId: settings.cameraId });
    if (error) {
      toast(`${describeError(error).title}. Calling ${media ? 'with what works' : 'without camera and microphone'}.`, {
        kind: 'error',
      });
    }
    if (cancelRequested || page.disposed) {
      return void endOutgoing(media, 'Call cancelled.');
    }
    idle?.setStatus('Calling…', 'info');
    let call: OutgoingCall;
    try {
      call = await client.call(peerId, { media });
    } catch (err) {
      const code = errorCode(err);
      const text = describeError(err);
      const message =
        code === 'PEER_NOT_FOUND' ? `Not found: nobody is online with the id ${peerId}.` : `${text.title}. ${text.detail}`;
      return void endOutgoing(media, message, 'error');
    }
    outgoing = call;
    const name = call.to.displayName;
    if (cancelRequested || page.disposed) {
      call.cancel();
      return void endOutgoing(media, 'Call cancelled.');
    }
    idle?.setStatus(`Ringing ${name}…`, 'info');
    call.on('ended', (reason) => {
      if (outgoing !== call) {
        return;
      }
      endOutgoing(media, OUTCOME[reason](name), reason === 'cancelled' ? 'info' : 'error');
    });
    call.on('accepted', (active) => {
      if (outgoing !== call) {
        return;
      }
      outgoing = null;
      idle = null;
      session = mountCallSession(root, { call: active, media, peerName: name, onDone: showIdle });
    });
  }

  function endOutgoing(media: { stop(): void } | null, message: string, kind: 'info' | 'error' = 'info'): void {
    media?.stop();
    outgoing = null;
    busy = false;
    idle?.setCalling(false);
    idle?.setStatus(message, kind);
  }

  function cancel(): void {
    cancelRequested = true;
    outgoing?.cancel();
  }

  function onIncoming(incoming: IncomingCall): void {
    if (busy || overlay) {
      incoming.reject();
      return;
    }
    const name = incoming.from.displayName;
    const close = (): void => {
      overlay?.close();
      overlay = null;
    };
    incoming.on('ended', (reason) => {
      if (!overlay) {
        return;
      }
      close();
      toast(reason === 'cancelled' || reason === 'timeout' ? `Missed call from ${name}` : OUTCOME[reason](name));
    });
    overlay = showIncomingCall({
      callerName: name,
      onReject: () => {
        close();
        incoming.reject();
      },
      onAccept: () => void accept(incoming, name),
    });
  }

  async function accept(incoming: IncomingCall, name: string): Promise<void> {
    busy = true;
    overlay?.setBusy('Starting camera…');
    const { media, error } = await openLocalMedia({ micId: settings.micId, cameraId: settings.cameraId });
    if (error) {
      toast(`${describeError(error).title}. Answering ${media ? 'with what works' : 'without camera and microphone'}.`, {
        kind: 'error',
      });
    }
    if (!overlay) {
      // The caller gave up meanwhile.
      media?.stop();
      busy = false;
      return;
    }
    overlay.setBusy('Connecting…');
    try {
      const active = await incoming.accept({ media });
      overlay?.close();
      overlay = null;
      idle = null;
      session = mountCallSession(root, { call: active, media, peerName: name, onDone: showIdle });
    } catch (err) {
      overlay?.close();
      overlay = null;
      media?.stop();
      busy = false;
      toast(`Could not answer: ${describeError(err).title}`, { kind: 'error' });
    }
  }

  showIdle();
  void connect();
  return () => {
    page.dispose();
    cancel();
    overlay?.close();
    session?.();
    clientSubs.dispose();
    client?.close();
    expose({ callClient: null, room: null, media: null });
  };
};

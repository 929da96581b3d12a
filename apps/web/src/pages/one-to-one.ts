/**
 * 1:1 calling. `/call` shows your call link and a field to call a peer id; `/call/<peerId>` offers
 * "Call <id>". Outgoing calls ring with Cancel; incoming calls get a full-screen Accept/Reject overlay.
 */
import { CallClient, SignalingClient, type IncomingCall, type LocalMedia, type OutgoingCall } from '@rendezvous/client';
import { PeerIdSchema, type CallEndReason } from '@rendezvous/protocol';
import { expose } from '../debug.js';
import { describeError, errorCode, problemLine } from '../errors-text.js';
import { pageTitle, t } from '../i18n/index.js';
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

/** How a call ended, told to the other side ("Bob declined the call."). */
export function outcomeText(reason: CallEndReason, name: string): string {
  return t(`oneone.outcome.${reason}`, { name });
}

/** A peer id from what the user typed: a bare id or a pasted call link. */
export function parsePeerId(value: string): string | null {
  const trimmed = value.trim();
  const candidate = /\/call\/([^/?#\s]+)/.exec(trimmed)?.[1] ?? trimmed;
  return PeerIdSchema.safeParse(candidate).success ? candidate : null;
}

/** Opens the camera and microphone for a call; a problem is told in a toast and the call goes on with what works. */
async function mediaForCall(answering: boolean): Promise<LocalMedia | null> {
  const { media, error } = await openLocalMedia({ micId: settings.micId, cameraId: settings.cameraId });
  if (error) {
    const problem = describeError(error).title;
    const key = answering
      ? media
        ? 'oneone.answeringWithWhatWorks'
        : 'oneone.answeringWithout'
      : media
        ? 'oneone.callingWithWhatWorks'
        : 'oneone.callingWithout';
    toast(t(key, { problem }), { kind: 'error' });
  }
  return media;
}

/** One visit to the 1:1 page: the connection to the server, the idle view, and at most one call. */
class OneToOne {
  readonly page = new Disposer();
  client: CallClient | null = null;
  #clientSubs = new Disposer();
  idle: IdleView | null = null;
  #session: (() => void) | null = null;
  #outgoing: OutgoingCall | null = null;
  #cancelRequested = false;
  /** Dialing, ringing or in a call. */
  #busy = false;
  #overlay: IncomingOverlay | null = null;
  #displayName = settings.displayName || randomGuestName();
  /** Bumped by every connect(), so a slower, older attempt never replaces a newer one. */
  #attempt = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly target: string | null,
  ) {}

  showIdle = (): void => {
    this.#session?.();
    this.#session = null;
    this.#busy = false;
    this.root.replaceChildren();
    this.idle = oneToOneIdle(this.root, {
      target: this.target,
      displayName: this.#displayName,
      onRename: (name) => {
        this.#displayName = name;
        settings.displayName = name;
        void this.connect();
      },
      onCopyLink: (link) => void copyWithToast(link, t('oneone.callLink')),
      onCall: (peerId) => void this.#startCall(peerId),
      onCancel: () => this.cancel(),
      onRetry: () => void this.connect(),
      parsePeerId,
    });
    this.idle.setClient(this.client);
  };

  async connect(): Promise<void> {
    const mine = ++this.#attempt;
    this.#clientSubs.dispose();
    this.client?.close();
    this.client = null;
    expose({ callClient: null });
    this.idle?.setClient(null);
    this.idle?.setStatus(t('common.connecting'), 'info');
    try {
      const next = await CallClient.connect(SignalingClient.urlFor(), { displayName: this.#displayName });
      if (this.page.disposed || mine !== this.#attempt) {
        return next.close();
      }
      this.#adopt(next);
    } catch (error) {
      if (!this.page.disposed && mine === this.#attempt) {
        this.idle?.setStatus(problemLine(error), 'error', true);
      }
    }
  }

  #adopt(next: CallClient): void {
    this.client = next;
    this.#clientSubs = new Disposer();
    this.#clientSubs.add(next.on('incoming', (incoming) => this.#onIncoming(incoming)));
    this.#clientSubs.add(
      next.signaling.on('state', (state) => {
        this.idle?.setConnection(state);
        if (state === 'closed' && this.client === next) {
          this.idle?.setStatus(t('oneone.disconnected'), 'error', true);
        }
      }),
    );
    // A failed resume means a new session, so a new peer id and a new link.
    this.#clientSubs.add(next.signaling.on('reset', () => this.idle?.setClient(next)));
    expose({ callClient: next });
    this.idle?.setClient(next);
    this.idle?.setStatus('', 'info');
  }

  async #startCall(peerId: string): Promise<void> {
    const client = this.client;
    if (!client || this.#busy) {
      return;
    }
    this.#busy = true;
    this.#cancelRequested = false;
    this.idle?.setCalling(true);
    this.idle?.setStatus(t('common.startingCamera'), 'info');
    const media = await mediaForCall(false);
    if (this.#cancelRequested || this.page.disposed) {
      return this.#endOutgoing(media, t('oneone.outcome.cancelled'));
    }
    this.idle?.setStatus(t('oneone.calling'), 'info');
    let call: OutgoingCall;
    try {
      call = await client.call(peerId, { media });
    } catch (err) {
      const message = errorCode(err) === 'PEER_NOT_FOUND' ? t('oneone.notFound', { id: peerId }) : problemLine(err);
      return this.#endOutgoing(media, message, 'error');
    }
    this.#ring(call, media);
  }

  #ring(call: OutgoingCall, media: LocalMedia | null): void {
    this.#outgoing = call;
    const name = call.to.displayName;
    if (this.#cancelRequested || this.page.disposed) {
      call.cancel();
      return this.#endOutgoing(media, t('oneone.outcome.cancelled'));
    }
    this.idle?.setStatus(t('oneone.ringing', { name }), 'info');
    call.on('ended', (reason) => {
      if (this.#outgoing === call) {
        this.#endOutgoing(media, outcomeText(reason, name), reason === 'cancelled' ? 'info' : 'error');
      }
    });
    call.on('accepted', (active) => {
      if (this.#outgoing !== call) {
        return;
      }
      this.#outgoing = null;
      this.idle = null;
      this.#session = mountCallSession(this.root, { call: active, media, peerName: name, onDone: this.showIdle });
    });
  }

  #endOutgoing(media: { stop(): void } | null, message: string, kind: 'info' | 'error' = 'info'): void {
    media?.stop();
    this.#outgoing = null;
    this.#busy = false;
    this.idle?.setCalling(false);
    this.idle?.setStatus(message, kind);
  }

  cancel(): void {
    this.#cancelRequested = true;
    this.#outgoing?.cancel();
  }

  #closeOverlay(): void {
    this.#overlay?.close();
    this.#overlay = null;
  }

  #onIncoming(incoming: IncomingCall): void {
    if (this.#busy || this.#overlay) {
      incoming.reject();
      return;
    }
    const name = incoming.from.displayName;
    incoming.on('ended', (reason) => {
      if (!this.#overlay) {
        return;
      }
      this.#closeOverlay();
      toast(reason === 'cancelled' || reason === 'timeout' ? t('oneone.missed', { name }) : outcomeText(reason, name));
    });
    this.#overlay = showIncomingCall({
      callerName: name,
      onReject: () => {
        this.#closeOverlay();
        incoming.reject();
      },
      onAccept: () => void this.#accept(incoming, name),
    });
  }

  async #accept(incoming: IncomingCall, name: string): Promise<void> {
    this.#busy = true;
    this.#overlay?.setBusy(t('common.startingCamera'));
    const media = await mediaForCall(true);
    if (!this.#overlay) {
      // The caller gave up meanwhile.
      media?.stop();
      this.#busy = false;
      return;
    }
    this.#overlay.setBusy(t('common.connecting'));
    try {
      const active = await incoming.accept({ media });
      this.#closeOverlay();
      this.idle = null;
      this.#session = mountCallSession(this.root, { call: active, media, peerName: name, onDone: this.showIdle });
    } catch (err) {
      this.#closeOverlay();
      media?.stop();
      this.#busy = false;
      toast(t('oneone.couldNotAnswer', { problem: describeError(err).title }), { kind: 'error' });
    }
  }

  close(): void {
    this.page.dispose();
    this.cancel();
    this.#overlay?.close();
    this.#session?.();
    this.#clientSubs.dispose();
    this.client?.close();
    expose({ callClient: null, room: null, media: null });
  }
}

export const oneToOnePage: Page = (root, params) => {
  const target = params['peerId'] ?? null;
  document.title = pageTitle(target ? t('oneone.docTitleCall') : t('oneone.docTitle'));
  const visit = new OneToOne(root, target);
  visit.showIdle();
  void visit.connect();
  return () => visit.close();
};

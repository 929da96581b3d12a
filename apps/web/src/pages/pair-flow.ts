/**
 * The steps of /pair for one visit: choose a role, then the invitation and answer boxes of that role, then the
 * connected view. Owns the PairingSession (closed on Start over, Leave, or when the page goes).
 */
import { PairingSession } from '@rendezvous/client';
import { t, type PlainKey } from '../i18n/index.js';
import { Disposer, h } from '../ui/dom.js';
import { inBox, outBox } from './pair-boxes.js';
import { connectedView, type ConnectedView } from './pair-connected.js';

type Phase = 'choose' | 'invite' | 'join' | 'connected';

function chooser(onStart: () => void, onJoin: () => void): HTMLElement {
  const card = (title: string, text: string, button: HTMLButtonElement): HTMLElement =>
    h(
      'section',
      { class: 'card pair-choice' },
      h('h2', { class: 'pair-box-title', text: title }),
      h('p', { class: 'muted', text }),
      button,
    );
  const start = h('button', { class: 'btn btn-primary', type: 'button', testid: 'pair-start', text: t('pair.create') });
  const join = h('button', { class: 'btn btn-secondary', type: 'button', testid: 'pair-join', text: t('pair.join') });
  start.addEventListener('click', onStart);
  join.addEventListener('click', onJoin);
  return h(
    'div',
    { class: 'pair-choices' },
    card(t('pair.startTitle'), t('pair.startText'), start),
    card(t('pair.joinTitle'), t('pair.joinText'), join),
  );
}

/** Puts back what was typed in a box of the same test id before a redraw (a language switch). */
function restoreDraft(box: HTMLElement, drafts: Map<string, string>): void {
  const area = box.querySelector('textarea');
  const draft = area === null ? undefined : drafts.get(area.dataset['testid'] ?? '');
  if (area !== null && draft !== undefined && area.value === '') {
    area.value = draft;
  }
}

export class PairFlow {
  readonly status = h('p', { class: 'pair-status', testid: 'pair-status', role: 'status', 'aria-live': 'polite' });
  readonly startOverButton = h('button', { class: 'btn btn-secondary', type: 'button', testid: 'pair-start-over', hidden: true });
  readonly body = h('div', { class: 'pair-body' });
  #phase: Phase = 'choose';
  #session: PairingSession | null = null;
  #offer = '';
  #answer = '';
  #everConnected = false;
  #connected: ConnectedView | null = null;
  #disposer = new Disposer();

  constructor() {
    this.startOverButton.addEventListener('click', () => this.startOver());
  }

  /** The status line's words for the session's state on this side. */
  #statusKey(): PlainKey | null {
    const session = this.#session;
    switch (session?.state ?? 'new') {
      case 'gathering':
        return 'pair.state.gathering';
      case 'waiting':
        return session?.role === 'inviter' ? 'pair.state.waitingAnswer' : 'pair.state.waitingJoin';
      case 'connecting':
        return 'pair.state.connecting';
      case 'connected':
        return 'pair.state.connected';
      case 'disconnected':
        return 'pair.state.disconnected';
      case 'failed':
        return this.#everConnected ? 'pair.state.ended' : 'pair.state.failed';
      case 'closed':
        return 'pair.state.closed';
      default:
        return null;
    }
  }

  #showStatus(): void {
    const key = this.#statusKey();
    const state = this.#session?.state ?? 'new';
    this.status.textContent = key === null ? '' : t(key);
    this.status.dataset['state'] = state;
    this.status.hidden = key === null;
    this.startOverButton.hidden = state !== 'failed' && state !== 'closed';
  }

  #adopt(session: PairingSession): void {
    this.#session = session;
    this.#disposer.add(() => session.close());
    this.#disposer.add(
      session.on('state', (state) => {
        if (state === 'connected' && this.#phase !== 'connected') {
          this.#everConnected = true;
          this.#phase = 'connected';
          this.#connected = connectedView(session, this.#disposer, () => session.close());
          this.render();
        }
        this.#showStatus();
      }),
    );
  }

  startOver(): void {
    this.#disposer.dispose();
    this.#disposer = new Disposer();
    this.#phase = 'choose';
    this.#session = null;
    this.#offer = '';
    this.#answer = '';
    this.#everConnected = false;
    this.#connected = null;
    this.render();
  }

  #invite(): void {
    const session = new PairingSession();
    this.#adopt(session);
    this.#phase = 'invite';
    this.render();
    session.createInvitation().then(
      (offer) => {
        this.#offer = offer;
        this.render();
      },
      () => this.#showStatus(),
    );
  }

  async #joinWith(text: string): Promise<void> {
    const session = new PairingSession();
    try {
      const answer = await session.answerInvitation(text);
      this.#adopt(session);
      this.#answer = answer;
      this.render();
    } catch (error) {
      session.close();
      throw error;
    }
  }

  #inviteBody(drafts: Map<string, string>): HTMLElement[] {
    const offerBox = outBox('pair-offer', t('pair.invitation'), t('pair.invitationHint'));
    if (this.#offer !== '') {
      offerBox.show(this.#offer);
    }
    const answerIn = inBox({
      expect: 'answer',
      testid: 'pair-answer-input',
      title: t('pair.answerIn'),
      hint: t('pair.answerInHint'),
      placeholder: t('pair.answerPlaceholder'),
      action: t('pair.connect'),
      disposer: this.#disposer,
      submit: async (text) => {
        await this.#session?.acceptAnswer(text);
        answerIn.done();
      },
    });
    answerIn.el.hidden = this.#offer === '';
    restoreDraft(answerIn.el, drafts);
    return [offerBox.el, answerIn.el];
  }

  #joinBody(drafts: Map<string, string>): HTMLElement[] {
    const offerIn = inBox({
      expect: 'offer',
      testid: 'pair-offer-input',
      title: t('pair.invitationIn'),
      hint: t('pair.joinText'),
      placeholder: t('pair.invitationPlaceholder'),
      action: t('pair.makeAnswer'),
      disposer: this.#disposer,
      submit: (text) => this.#joinWith(text),
    });
    restoreDraft(offerIn.el, drafts);
    if (this.#answer === '') {
      return [offerIn.el];
    }
    offerIn.done();
    const answerBox = outBox('pair-answer', t('pair.answer'), t('pair.answerHint'));
    answerBox.show(this.#answer);
    return [offerIn.el, answerBox.el];
  }

  /** Draws the current step (again after a language switch: the connected view relabels instead). */
  render(): void {
    const drafts = new Map([...this.body.querySelectorAll('textarea')].map((area) => [area.dataset['testid'] ?? '', area.value]));
    this.startOverButton.textContent = t('pair.startOver');
    this.#showStatus();
    if (this.#phase === 'connected' && this.#connected !== null) {
      this.#connected.relabel();
      if (this.#connected.el.parentElement !== this.body) {
        this.body.replaceChildren(this.#connected.el);
      }
    } else if (this.#phase === 'invite') {
      this.body.replaceChildren(...this.#inviteBody(drafts));
    } else if (this.#phase === 'join') {
      this.body.replaceChildren(...this.#joinBody(drafts));
    } else {
      this.body.replaceChildren(
        chooser(
          () => this.#invite(),
          () => {
            this.#phase = 'join';
            this.render();
          },
        ),
      );
    }
  }

  dispose(): void {
    this.#disposer.dispose();
  }
}

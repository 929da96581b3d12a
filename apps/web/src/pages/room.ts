/** /room/<name>: pre-join, then the call, then "You left" (or "This room is full"). */
import { Room, SignalingClient, type LocalMedia } from '@rendezvous/client';
import { expose } from '../debug.js';
import { pageTitle } from '../i18n/index.js';
import { roomNameProblem } from '../room-names.js';
import type { Page } from '../router.js';
import { Disposer } from '../ui/dom.js';
import { mountCallView } from './call-view.js';
import { mountPrejoin } from './prejoin.js';
import { invalidRoomScreen, joinErrorScreen, joiningScreen, leftScreen } from './room-screens.js';

/** One visit to a room page: its screens one after another, and the room while in the call. */
class RoomVisit {
  readonly page = new Disposer();
  #screen = new Disposer();
  #room: Room | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly name: string,
  ) {}

  #show(mount: (disposer: Disposer) => void): void {
    this.#screen.dispose();
    this.root.replaceChildren();
    this.#screen = new Disposer();
    mount(this.#screen);
  }

  showPrejoin = (): void => {
    this.#show((d) =>
      d.add(
        mountPrejoin(this.root, { roomName: this.name, onJoin: (media, displayName) => void this.#join(media, displayName) }),
      ),
    );
  };

  async #join(media: LocalMedia | null, displayName: string): Promise<void> {
    this.#show(() => this.root.append(joiningScreen(this.name)));
    try {
      const joined = await Room.join(SignalingClient.urlFor(), this.name, { displayName, media });
      if (this.page.disposed) {
        await joined.leave();
        return;
      }
      this.#room = joined;
      this.#showCall(joined, media);
    } catch (error) {
      media?.stop();
      expose({ media: null });
      if (!this.page.disposed) {
        this.#show(() => this.root.append(joinErrorScreen(error, this.showPrejoin)));
      }
    }
  }

  #showCall(joined: Room, media: LocalMedia | null): void {
    const showLeft = (lost: boolean): void => this.#show(() => this.root.append(leftScreen(this.name, lost, this.showPrejoin)));
    this.#show((d) =>
      d.add(
        mountCallView(this.root, {
          room: joined,
          media,
          title: this.name,
          mode: 'room',
          inviteLink: `${location.origin}/room/${encodeURIComponent(this.name)}`,
          onEnd: () => void this.leave().then(() => showLeft(false)),
          onLost: () => {
            void this.leave();
            showLeft(true);
          },
        }),
      ),
    );
  }

  async leave(): Promise<void> {
    const current = this.#room;
    this.#room = null;
    expose({ room: null, media: null });
    if (current) {
      await current.leave().catch((error: unknown) => console.warn('leave failed', error));
    }
  }

  close(): void {
    this.page.dispose();
    this.#screen.dispose();
    void this.leave();
  }
}

export const roomPage: Page = (root, params) => {
  const name = params['name'] ?? '';
  const invalid = roomNameProblem(name);
  if (invalid) {
    root.append(invalidRoomScreen(invalid));
    return;
  }
  document.title = pageTitle(name);
  const visit = new RoomVisit(root, name);
  visit.showPrejoin();
  return () => visit.close();
};

/**
 * /live/<name>: a live broadcast in an `sfu` room. Everyone joins watching, with media that holds no device (so
 * no camera or microphone permission is asked); going live or accepting an invitation opens the devices.
 */
import { LocalMedia, Room, SignalingClient } from '@rendezvous/client';
import { expose } from '../debug.js';
import { VIDEO } from '../media.js';
import { onLanguageChange, pageTitle, t } from '../i18n/index.js';
import { roomNameProblem } from '../room-names.js';
import type { Page } from '../router.js';
import { Disposer } from '../ui/dom.js';
import { liveEntry } from './live-entry.js';
import { mountLiveView } from './live-view.js';
import { invalidRoomScreen, joinErrorScreen, joiningScreen, leftScreen } from './room-screens.js';

/** One visit to a live page: entry, joining, the broadcast, then "You left". */
class LiveVisit {
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

  showEntry = (): void => {
    this.#show((d) => {
      let entry: ReturnType<typeof liveEntry> | null = null;
      const draw = (typed?: string): void => {
        entry?.destroy();
        entry = liveEntry({
          roomName: this.name,
          ...(typed === undefined ? {} : { typed }),
          onEnter: (displayName, goLive) => void this.#join(displayName, goLive),
        });
        this.root.replaceChildren(entry.el);
      };
      draw();
      d.add(onLanguageChange(() => draw(entry?.typed())));
      d.add(() => entry?.destroy());
    });
  };

  async #join(displayName: string, goLive: boolean): Promise<void> {
    this.#show(() => this.root.append(joiningScreen(this.name)));
    // Nothing is captured (no permission prompt) until the member goes live; then the camera opens at the app's size.
    const media = LocalMedia.fromStream(new MediaStream(), { video: VIDEO });
    try {
      const room = await Room.join(SignalingClient.urlFor(), this.name, { displayName, media, mode: 'sfu' });
      if (this.page.disposed) {
        await room.leave();
        return;
      }
      this.#room = room;
      expose({ room, media });
      this.#show((d) =>
        d.add(
          mountLiveView(this.root, {
            room,
            media,
            goLive,
            onLeave: () => void this.leave().then(() => this.#showLeft(false)),
            onLost: () => {
              void this.leave();
              this.#showLeft(true);
            },
          }),
        ),
      );
    } catch (error) {
      media.stop();
      if (!this.page.disposed) {
        this.#show(() => this.root.append(joinErrorScreen(error, this.showEntry)));
      }
    }
  }

  #showLeft(lost: boolean): void {
    this.#show(() => this.root.append(leftScreen(this.name, lost, this.showEntry)));
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

export const livePage: Page = (root, params) => {
  const name = params['name'] ?? '';
  const invalid = roomNameProblem(name);
  if (invalid) {
    root.append(invalidRoomScreen(invalid));
    return;
  }
  const title = (): string => pageTitle(t('live.page', { room: name }));
  document.title = title();
  const visit = new LiveVisit(root, name);
  const unsubscribe = onLanguageChange(() => (document.title = title()));
  visit.showEntry();
  return () => {
    unsubscribe();
    visit.close();
  };
};

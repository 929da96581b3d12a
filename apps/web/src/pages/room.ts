/** /room/<name>: pre-join, then the call, then "You left" (or "This room is full"). */
import { Room, SignalingClient, type LocalMedia } from '@rendezvous/client';
import { expose } from '../debug.js';
import { describeError, errorCode, roomFullTitle } from '../errors-text.js';
import { roomNameProblem } from '../room-names.js';
import { navigate, type Page } from '../router.js';
import { Disposer, h } from '../ui/dom.js';
import { messageScreen } from '../ui/message-screen.js';
import { mountCallView } from './call-view.js';
import { mountPrejoin } from './prejoin.js';

/** "(6 of 6)" when the server's message says how big the room is. */
export const roomPage: Page = (root, params) => {
  const name = params['name'] ?? '';
  const invalid = roomNameProblem(name);
  if (invalid) {
    root.append(
      messageScreen({
        title: 'That is not a room name',
        text: invalid,
        actions: [{ label: 'Home', primary: true, onClick: () => navigate('/') }],
      }),
    );
    return;
  }
  document.title = `${name} · Rendezvous`;
  const page = new Disposer();
  let screen = new Disposer();
  let room: Room | null = null;

  function show(mount: (disposer: Disposer) => void): void {
    screen.dispose();
    root.replaceChildren();
    screen = new Disposer();
    mount(screen);
  }

  function showPrejoin(): void {
    show((d) => d.add(mountPrejoin(root, { roomName: name, onJoin: (media, displayName) => void join(media, displayName) })));
  }

  async function join(media: LocalMedia | null, displayName: string): Promise<void> {
    show(() =>
      root.append(
        h(
          'main',
          { class: 'page centered' },
          h('div', { class: 'spinner', role: 'status', 'aria-label': 'Joining' }),
          h('p', { class: 'muted', text: `Joining ${name}…` }),
        ),
      ),
    );
    try {
      const joined = await Room.join(SignalingClient.urlFor(), name, { displayName, media });
      if (page.disposed) {
        await joined.leave();
        return;
      }
      room = joined;
      showCall(joined, media);
    } catch (error) {
      media?.stop();
      expose({ media: null });
      if (!page.disposed) {
        showJoinError(error);
      }
    }
  }

  function showCall(joined: Room, media: LocalMedia | null): void {
    show((d) =>
      d.add(
        mountCallView(root, {
          room: joined,
          media,
          title: name,
          mode: 'room',
          inviteLink: `${location.origin}/room/${encodeURIComponent(name)}`,
          onEnd: () => void leave().then(() => showLeft()),
          onLost: () => {
            void leave();
            showLeft('You were disconnected', 'The connection to the server was lost and could not be restored.');
          },
        }),
      ),
    );
  }

  async function leave(): Promise<void> {
    const current = room;
    room = null;
    expose({ room: null, media: null });
    if (current) {
      await current.leave().catch((error: unknown) => console.warn('leave failed', error));
    }
  }

  function showLeft(title = 'You left the room', text = `You left ${name}.`): void {
    show(() =>
      root.append(
        messageScreen({
          title,
          text,
          testid: 'left-screen',
          actions: [
            { label: 'Rejoin', primary: true, testid: 'left-rejoin', onClick: showPrejoin },
            { label: 'Home', testid: 'left-home', onClick: () => navigate('/') },
          ],
        }),
      ),
    );
  }

  function showJoinError(error: unknown): void {
    const code = errorCode(error);
    const text = describeError(error);
    show(() =>
      root.append(
        code === 'ROOM_FULL'
          ? messageScreen({
              title: roomFullTitle(error),
              text: 'Everyone who fits is already in. Try again later, or start a new room.',
              testid: 'room-full',
              actions: [
                { label: 'Try again', primary: true, onClick: showPrejoin },
                { label: 'Home', onClick: () => navigate('/') },
              ],
            })
          : messageScreen({
              title: `Could not join: ${text.title.charAt(0).toLowerCase()}${text.title.slice(1)}`,
              text: text.detail,
              testid: 'join-error',
              actions: [
                { label: 'Try again', primary: true, onClick: showPrejoin },
                { label: 'Home', onClick: () => navigate('/') },
              ],
            }),
      ),
    );
  }

  showPrejoin();
  return () => {
    page.dispose();
    screen.dispose();
    void leave();
  };
};

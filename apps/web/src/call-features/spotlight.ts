/** The large spot above the tiles: a shared screen (or any stream a feature puts there), cameras in a strip below. */
import { h } from '../ui/dom.js';
import type { Spotlight } from './context.js';

export function createSpotlight(stage: HTMLElement): Spotlight & { el: HTMLElement } {
  const video = h('video', { class: 'spotlight-video', autoplay: true, playsinline: true });
  video.muted = true; // a screen's audio plays through the sharer's tile stream element, not twice here
  const label = h('span', { class: 'spotlight-label' });
  const el = h('div', { class: 'spotlight', hidden: true, testid: 'spotlight' }, video, label);
  const shown: { owner: string; stream: MediaStream; label: string }[] = [];

  const render = (): void => {
    const top = shown.at(-1);
    el.hidden = top === undefined;
    stage.classList.toggle('has-spotlight', top !== undefined);
    if (top === undefined) {
      video.srcObject = null;
      el.dataset['owner'] = '';
      return;
    }
    if (video.srcObject !== top.stream) {
      video.srcObject = top.stream;
      void video.play().catch(() => undefined);
    }
    label.textContent = top.label;
    el.dataset['owner'] = top.owner;
  };
  return {
    el,
    show(owner, stream, text) {
      const at = shown.findIndex((s) => s.owner === owner);
      if (at >= 0) {
        shown.splice(at, 1);
      }
      shown.push({ owner, stream, label: text });
      render();
    },
    hide(owner) {
      const at = shown.findIndex((s) => s.owner === owner);
      if (at >= 0) {
        shown.splice(at, 1);
        render();
      }
    },
  };
}

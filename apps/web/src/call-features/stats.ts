/**
 * The stats feature of the call view (issue 8): a control button that opens the live statistics panel
 * (an in-app webrtc-internals), a quality badge on each remote tile, the JSON export and the preferred
 * video codec. One `StatsSampler` samples every peer once a second for the badges; the panel's charts
 * and values exist and draw only while the panel is open.
 */
import { StatsSampler } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { h, icon } from '../ui/dom.js';
import { icons } from '../ui/icons.js';
import type { CallFeature, CallFeatureContext } from './context.js';
import { showQualityBadges } from './stats-badges.js';
import { applyStoredVideoCodec } from './stats-codec.js';
import { createStatsPanel, type StatsPanel } from './stats-panel.js';
import './stats.css';

const PANEL_ID = 'stats';

function statsButton(onClick: () => void): HTMLButtonElement {
  return h(
    'button',
    { class: 'ctrl', type: 'button', testid: 'control-stats', 'aria-pressed': 'false', on: { click: onClick } },
    icon(icons.stats),
  );
}

/** The panel, opened and closed from the button; re-built in place after a language switch. */
function statsPanelToggle(context: CallFeatureContext, sampler: StatsSampler): { toggle(): void; relabel(): void } {
  const { panels, room } = context;
  let panel: StatsPanel | null = null;
  const drop = (): void => {
    panel?.destroy();
    panel = null;
  };
  const open = (): void => {
    drop();
    panel = createStatsPanel(room, sampler);
    panels.open(PANEL_ID, t('stats.title'), panel.el);
  };
  context.disposer.add(
    panels.onChange((openId) => {
      if (openId !== PANEL_ID) {
        drop();
      }
    }),
  );
  context.disposer.add(drop);
  return {
    toggle: () => (panels.isOpen(PANEL_ID) ? panels.close(PANEL_ID) : open()),
    relabel: () => {
      if (panels.isOpen(PANEL_ID)) {
        open();
      }
    },
  };
}

export const statsFeature: CallFeature = (context) => {
  const { room, panels } = context;
  applyStoredVideoCodec(room);
  const sampler = new StatsSampler(() => room.peers.values());
  context.disposer.add(() => sampler.close());
  const relabelBadges = showQualityBadges(context, sampler);
  const panel = statsPanelToggle(context, sampler);
  const button = statsButton(() => panel.toggle());
  const label = (): void => {
    button.setAttribute('aria-label', t('stats.button'));
    button.title = t('stats.button');
  };
  context.disposer.add(panels.onChange((openId) => button.setAttribute('aria-pressed', String(openId === PANEL_ID))));
  label();
  context.addControl(button);
  context.onRelabel(() => {
    label();
    relabelBadges();
    panel.relabel();
  });
};

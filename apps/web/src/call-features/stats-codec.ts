/**
 * The preferred video codec: a select in the stats panel ("Automatic" plus what this browser can both send
 * and receive), remembered on this device and applied to the room when the call view mounts.
 */
import { supportedVideoCodecs, type Room, type VideoCodecName } from '@rendezvous/client';
import { t } from '../i18n/index.js';
import { readStored, writeStored } from '../storage.js';
import { h } from '../ui/dom.js';
import { codecLabel } from './stats-format.js';

const STORAGE_KEY = 'videoCodec';
const AUTOMATIC = '';

/** The remembered codec when this browser still supports it, else null (automatic). */
export function storedVideoCodec(supported: readonly VideoCodecName[] = supportedVideoCodecs()): VideoCodecName | null {
  const stored = readStored(STORAGE_KEY);
  return supported.find((codec) => codec === stored) ?? null;
}

/** Applies the remembered codec to a room that does not have it yet. */
export function applyStoredVideoCodec(room: Room): void {
  const codec = storedVideoCodec();
  if (codec !== null && room.videoCodec !== codec) {
    room.setVideoCodec(codec);
  }
}

/** The codec section of the panel: a heading, the select and a note on how the choice works. */
export function createCodecPicker(room: Room): HTMLElement {
  const supported = supportedVideoCodecs();
  const select = h(
    'select',
    { id: 'stats-codec', testid: 'stats-codec-select' },
    h('option', { value: AUTOMATIC, text: t('stats.codec.auto') }),
    ...supported.map((codec) => h('option', { value: codec, text: codecLabel(codec) })),
  );
  select.value = room.videoCodec ?? AUTOMATIC;
  select.addEventListener('change', () => {
    const codec = supported.find((name) => name === select.value) ?? null;
    writeStored(STORAGE_KEY, codec);
    room.setVideoCodec(codec);
  });
  return h(
    'section',
    { class: 'stats-section stats-codec' },
    h('h3', { class: 'stats-heading', text: t('stats.codec.heading') }),
    h('label', { class: 'field-label', for: 'stats-codec', text: t('stats.codec.label') }),
    select,
    h('p', { class: 'stats-note', text: t('stats.codec.note') }),
  );
}

/**
 * Drag and drop of files onto the call view: while files are dragged over it, an overlay says to whom they will
 * go; dropping hands them over. Drags that carry no files (text, links, tiles) are left alone.
 */
import { h, icon, type Disposer } from '../ui/dom.js';
import { icons } from '../ui/icons.js';

export interface DropZone {
  /** Re-applies the overlay's words (it shows `label()` while dragging). */
  relabel(): void;
}

const carriesFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') ?? false;

export function followFileDrops(
  view: HTMLElement,
  disposer: Disposer,
  options: { label(): string; onDrop(files: File[]): void },
): DropZone {
  const text = h('span', { class: 'files-drop-text' });
  const overlay = h('div', { class: 'files-drop', testid: 'files-drop', hidden: true }, icon(icons.paperclip), text);
  view.append(overlay);
  let depth = 0;
  const show = (visible: boolean): void => {
    overlay.hidden = !visible;
    if (visible) {
      text.textContent = options.label();
    }
  };
  const listeners: Array<[string, (event: DragEvent) => void]> = [
    [
      'dragenter',
      (event) => {
        if (carriesFiles(event)) {
          depth++;
          show(true);
        }
      },
    ],
    [
      'dragover',
      (event) => {
        if (carriesFiles(event)) {
          event.preventDefault(); // allows the drop
          event.dataTransfer!.dropEffect = 'copy';
        }
      },
    ],
    [
      'dragleave',
      (event) => {
        if (carriesFiles(event) && --depth <= 0) {
          depth = 0;
          show(false);
        }
      },
    ],
    [
      'drop',
      (event) => {
        if (!carriesFiles(event)) {
          return;
        }
        event.preventDefault();
        depth = 0;
        show(false);
        const files = [...(event.dataTransfer?.files ?? [])];
        if (files.length > 0) {
          options.onDrop(files);
        }
      },
    ],
  ];
  for (const [name, listener] of listeners) {
    view.addEventListener(name, listener as EventListener);
  }
  disposer.add(() => {
    for (const [name, listener] of listeners) {
      view.removeEventListener(name, listener as EventListener);
    }
    overlay.remove();
  });
  return { relabel: () => (text.textContent = options.label()) };
}

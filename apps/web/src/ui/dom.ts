/** Small DOM helpers: element creation without a framework. */

type AttrValue = string | number | boolean | null | undefined;
type Listeners = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };

export interface Props {
  class?: string;
  /** Sets textContent (never parsed as HTML). */
  text?: string;
  /** Sets data-testid, the stable hook for end-to-end tests. */
  testid?: string;
  on?: Listeners;
  /** Any other attribute: `true` sets it empty, `false`/`null`/`undefined` leave it out. */
  [attribute: string]: AttrValue | Listeners;
}

/** A primitive prop value as text (the entries of `Props` are typed as a union with the listeners). */
const asText = (value: AttrValue): string => String(value);

export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'on') {
      for (const [event, listener] of Object.entries(value as Listeners)) {
        el.addEventListener(event, listener as EventListener);
      }
    } else if (key === 'class') {
      el.className = asText(value as AttrValue);
    } else if (key === 'text') {
      el.textContent = asText(value as AttrValue);
    } else if (key === 'testid') {
      el.dataset['testid'] = asText(value as AttrValue);
    } else {
      setAttr(el, key, value as AttrValue);
    }
  }
  append(el, ...children);
  return el;
}

export function setAttr(el: Element, name: string, value: AttrValue): void {
  if (value === false || value === null || value === undefined) {
    el.removeAttribute(name);
  } else {
    el.setAttribute(name, value === true ? '' : String(value));
  }
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** An inline SVG icon from a trusted, static markup string (see icons.ts). */
export function icon(markup: string, className = 'icon'): HTMLSpanElement {
  const span = h('span', { class: className, 'aria-hidden': 'true' });
  span.innerHTML = markup;
  return span;
}

/** Collects cleanup functions and runs them once, in reverse order. */
export class Disposer {
  private readonly fns: (() => void)[] = [];
  private done = false;

  add(fn: () => void): void {
    if (this.done) {
      fn();
    } else {
      this.fns.push(fn);
    }
  }

  /** Adds a DOM listener and removes it on dispose. */
  listen<K extends keyof WindowEventMap>(target: Window, event: K, listener: (event: WindowEventMap[K]) => void): void;
  listen<K extends keyof DocumentEventMap>(target: Document, event: K, listener: (event: DocumentEventMap[K]) => void): void;
  listen(target: EventTarget, event: string, listener: (event: Event) => void): void {
    target.addEventListener(event, listener);
    this.add(() => target.removeEventListener(event, listener));
  }

  get disposed(): boolean {
    return this.done;
  }

  dispose(): void {
    if (this.done) {
      return;
    }
    this.done = true;
    for (const fn of this.fns.splice(0).reverse()) {
      try {
        fn();
      } catch (error) {
        console.error('cleanup failed', error);
      }
    }
  }
}

/** Initials for an avatar: "Ada Lovelace" -> "AL", "grace" -> "G". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words.slice(0, 1);
  const result = letters.map((word) => Array.from(word ?? '')[0] ?? '').join('');
  return result.toUpperCase() || '?';
}

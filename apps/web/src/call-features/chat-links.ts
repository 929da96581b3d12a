/**
 * Chat text as DOM nodes: plain text stays text (never parsed as HTML), and http(s) URLs become anchors built
 * with createElement, opening in a new tab without giving it the opener or a referrer.
 */

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** A URL runs until whitespace, quotes, angle brackets or CJK punctuation (full-width commas end a link). */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`\u3000-\u303f\uff00-\uffef]+/gi;
/** Punctuation that ends a sentence rather than the URL. */
const TRAILING = /[.,;:!?)\]}]+$/;

/** The href of `candidate` when it is a well-formed http(s) URL, else null. */
function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Keeps a closing parenthesis that belongs to the URL ("…/Foo_(bar)"), drops sentence punctuation after it. */
function trimUrl(raw: string): string {
  const trailing = TRAILING.exec(raw)?.[0] ?? '';
  let url = raw.slice(0, raw.length - trailing.length);
  for (const char of trailing) {
    const opens = url.split('(').length - 1;
    const closes = url.split(')').length - 1;
    if (char === ')' && opens > closes) {
      url += char;
    } else {
      break;
    }
  }
  return url;
}

/** Splits chat text into text and link parts; joined back, the parts' texts equal `text`. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  const push = (part: string): void => {
    if (part === '') {
      return;
    }
    const previous = parts.at(-1);
    if (previous?.kind === 'text') {
      previous.text += part;
    } else {
      parts.push({ kind: 'text', text: part });
    }
  };
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = trimUrl(match[0]);
    const href = safeHref(url);
    push(text.slice(last, match.index));
    if (href === null) {
      push(url);
    } else {
      parts.push({ kind: 'link', text: url, href });
    }
    last = match.index + url.length;
  }
  push(text.slice(last));
  return parts;
}

/** The DOM for chat text: text nodes and safe anchors. */
export function linkifiedNodes(text: string): Node[] {
  return splitLinks(text).map((part) => {
    if (part.kind === 'text') {
      return document.createTextNode(part.text);
    }
    const anchor = document.createElement('a');
    anchor.href = part.href;
    anchor.textContent = part.text;
    anchor.target = '_blank';
    anchor.rel = 'noopener noreferrer';
    anchor.className = 'chat-link';
    return anchor;
  });
}

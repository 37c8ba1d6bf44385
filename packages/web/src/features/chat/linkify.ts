/** A run of chat text: plain, or an http(s) link. */
export type TextPart =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// Only http and https become links: javascript:, data: and the rest stay plain text.
const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that usually ends a sentence rather than the URL.
const TRAILING = '.,;:!?)]}\'"';

function trimTrailing(url: string): string {
  let end = url.length;
  while (end > 0 && TRAILING.includes(url[end - 1] as string)) {
    const head = url.slice(0, end);
    // A closing parenthesis that balances one in the URL belongs to it (Wikipedia links).
    if (url[end - 1] === ')' && head.split('(').length > head.split(')').length - 1) {
      break;
    }
    end -= 1;
  }
  return url.slice(0, end);
}

/**
 * Split chat text into text and link parts. The result is rendered as React text
 * nodes and <a> elements, so nothing in a message is ever parsed as HTML.
 */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    const url = trimTrailing(match[0]);
    const start = match.index ?? 0;
    let href: string;
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        continue;
      }
      href = parsed.href;
    } catch {
      continue;
    }
    if (start > last) {
      parts.push({ kind: 'text', text: text.slice(last, start) });
    }
    parts.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  if (last < text.length) {
    parts.push({ kind: 'text', text: text.slice(last) });
  }
  return parts;
}

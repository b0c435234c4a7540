// Plain status text → HTML exactly as Mastodon renders it (TextFormatter): paragraphs and line
// breaks, autolinked URLs with the invisible/ellipsis display, h-card mentions, hashtags.
// Also Mastodon's character count: every URL is 23 characters, a remote mention counts its local part.

export interface MentionTarget {
  /** The profile URL linked from the mention. */
  url: string;
  username: string;
  /** null for the local account. */
  domain: string | null;
}

export interface FormatOptions {
  /** Base URL for hashtag links, e.g. https://social.example */
  baseUrl: string;
  /** Resolves @user or @user@domain to a known account; unknown mentions stay plain text. */
  resolveMention?: (username: string, domain: string | null) => MentionTarget | undefined;
}

export interface Formatted {
  html: string;
  mentions: MentionTarget[];
  /** Lower-cased, de-duplicated, in order of appearance. */
  tags: string[];
}

const URL_RE = /https?:\/\/[^\s<>"'`]+/giu;
const MENTION_RE = /(?<![\p{L}\p{N}_/@.])@([a-z0-9_]+(?:[a-z0-9_.-]*[a-z0-9_])?)(?:@([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?))?/giu;
const HASHTAG_RE = /(?<![\p{L}\p{N}_/&#])#([\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*)/giu;
const TRAILING_PUNCTUATION = /[.,;:!?'"…\]]/u;

/** Drops sentence punctuation after a URL; keeps a closing parenthesis that closes one inside it. */
function trimUrl(url: string): string {
  const count = (c: string) => url.split(c).length - 1;
  while (url.length > 0) {
    const last = url[url.length - 1]!;
    if (last === ")" ? count(")") > count("(") : TRAILING_PUNCTUATION.test(last)) url = url.slice(0, -1);
    else break;
  }
  return url;
}

export const URL_LENGTH = 23;

type Token =
  | { kind: "url"; start: number; end: number; url: string }
  | { kind: "mention"; start: number; end: number; username: string; domain: string | null }
  | { kind: "tag"; start: number; end: number; name: string };

/** Finds links, mentions and hashtags; earlier and longer matches win over overlapping ones. */
function tokenize(text: string): Token[] {
  const found: Token[] = [];
  for (const m of text.matchAll(URL_RE)) {
    const url = trimUrl(m[0]);
    if (!URL.canParse(url)) continue;
    found.push({ kind: "url", start: m.index!, end: m.index! + url.length, url });
  }
  for (const m of text.matchAll(MENTION_RE)) {
    found.push({ kind: "mention", start: m.index!, end: m.index! + m[0].length, username: m[1]!, domain: m[2]?.toLowerCase() ?? null });
  }
  for (const m of text.matchAll(HASHTAG_RE)) {
    found.push({ kind: "tag", start: m.index!, end: m.index! + m[0].length, name: m[1]! });
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const tokens: Token[] = [];
  let cursor = 0;
  for (const t of found) {
    if (t.start < cursor) continue;
    tokens.push(t);
    cursor = t.end;
  }
  return tokens;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function linkHtml(url: string): string {
  const prefix = /^(https?:\/\/(?:www\.)?)/i.exec(url)?.[1] ?? "";
  const rest = url.slice(prefix.length);
  const display = rest.slice(0, 30);
  const cut = rest.slice(30);
  return (
    `<a href="${escapeHtml(url)}" target="_blank" rel="nofollow noopener" translate="no">` +
    `<span class="invisible">${escapeHtml(prefix)}</span>` +
    `<span class="${cut ? "ellipsis" : ""}">${escapeHtml(display)}</span>` +
    `<span class="invisible">${escapeHtml(cut)}</span></a>`
  );
}

export function formatText(text: string, options: FormatOptions): Formatted {
  const normalized = text.replace(/\r\n?/g, "\n").trim();
  const mentions: MentionTarget[] = [];
  const tags: string[] = [];
  let html = "";
  let cursor = 0;
  for (const token of tokenize(normalized)) {
    html += escapeHtml(normalized.slice(cursor, token.start));
    const raw = normalized.slice(token.start, token.end);
    if (token.kind === "url") {
      html += linkHtml(token.url);
    } else if (token.kind === "tag") {
      const lower = token.name.toLowerCase();
      if (!tags.includes(lower)) tags.push(lower);
      html += `<a href="${escapeHtml(`${options.baseUrl}/tags/${encodeURIComponent(lower)}`)}" class="mention hashtag" rel="tag">#<span>${escapeHtml(token.name)}</span></a>`;
    } else {
      const target = options.resolveMention?.(token.username, token.domain);
      if (target) {
        if (!mentions.some((m) => m.url === target.url)) mentions.push(target);
        html += `<span class="h-card" translate="no"><a href="${escapeHtml(target.url)}" class="u-url mention">@<span>${escapeHtml(target.username)}</span></a></span>`;
      } else {
        html += escapeHtml(raw);
      }
    }
    cursor = token.end;
  }
  html += escapeHtml(normalized.slice(cursor));
  const paragraphs = html.split(/\n{2,}/).filter((p) => p.length > 0);
  return { html: paragraphs.map((p) => `<p>${p.replace(/\n/g, "<br />")}</p>`).join(""), mentions, tags };
}

/** Mastodon's length: code points, with each URL as 23 and `@user@domain` as `@user`. */
export function countCharacters(text: string): number {
  let length = 0;
  let cursor = 0;
  for (const token of tokenize(text)) {
    length += [...text.slice(cursor, token.start)].length;
    if (token.kind === "url") length += URL_LENGTH;
    else if (token.kind === "mention") length += 1 + [...token.username].length;
    else length += [...text.slice(token.start, token.end)].length;
    cursor = token.end;
  }
  return length + [...text.slice(cursor)].length;
}

/** HTML → plain text, for notes and remote content in places that want text. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*<p>/gi, "\n\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}

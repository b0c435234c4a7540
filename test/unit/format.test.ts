import { describe, expect, test } from "bun:test";
import { countCharacters, formatText } from "../../src/text/format.ts";

const options = {
  baseUrl: "https://social.example",
  resolveMention: (username: string, domain: string | null) =>
    username.toLowerCase() === "bob" && (domain === "remote.example" || domain === null)
      ? { url: "https://remote.example/@bob", username: "bob", domain: "remote.example" }
      : username === "alice" && domain === null
        ? { url: "https://social.example/@alice", username: "alice", domain: null }
        : undefined,
};

describe("status text to HTML", () => {
  test("paragraphs and line breaks, escaped", () => {
    expect(formatText("Hello <world> & \"you\"\nsecond line\n\n\nnew paragraph", options).html).toBe(
      "<p>Hello &lt;world&gt; &amp; &quot;you&quot;<br />second line</p><p>new paragraph</p>",
    );
  });

  test("links are shortened as Mastodon shows them", () => {
    expect(formatText("see https://example.com/a.", options).html).toBe(
      '<p>see <a href="https://example.com/a" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">https://</span><span class="">example.com/a</span><span class="invisible"></span></a>.</p>',
    );
    expect(formatText("https://www.example.com/a/very/long/path/that/goes/on/and/on", options).html).toContain(
      '<span class="invisible">https://www.</span><span class="ellipsis">example.com/a/very/long/path/t</span><span class="invisible">hat/goes/on/and/on</span>',
    );
    expect(formatText("(https://en.wikipedia.org/wiki/Foo_(bar))", options).html).toContain('href="https://en.wikipedia.org/wiki/Foo_(bar)"');
  });

  test("mentions of known accounts become h-cards; unknown ones stay text", () => {
    const out = formatText("hi @bob@remote.example and @alice, not @nobody@x.example or me@mail.example", options);
    expect(out.html).toBe(
      '<p>hi <span class="h-card" translate="no"><a href="https://remote.example/@bob" class="u-url mention">@<span>bob</span></a></span> and <span class="h-card" translate="no"><a href="https://social.example/@alice" class="u-url mention">@<span>alice</span></a></span>, not @nobody@x.example or me@mail.example</p>',
    );
    expect(out.mentions.map((m) => m.url)).toEqual(["https://remote.example/@bob", "https://social.example/@alice"]);
  });

  test("hashtags link to the tag page and are collected", () => {
    const out = formatText("#Roost is #great, #roost again, not a#tag or https://x.example/#frag", options);
    expect(out.tags).toEqual(["roost", "great"]);
    expect(out.html).toContain('<a href="https://social.example/tags/roost" class="mention hashtag" rel="tag">#<span>Roost</span></a>');
    expect(out.html).toContain("not a#tag");
  });
});

describe("character count", () => {
  test("URLs count 23, remote mentions count their local part, emoji are one", () => {
    expect(countCharacters("hello")).toBe(5);
    expect(countCharacters(`see https://example.com/${"x".repeat(100)}`)).toBe(4 + 23);
    expect(countCharacters("@bob@remote.example hi")).toBe(4 + 3);
    expect(countCharacters("🦤🦤")).toBe(2);
  });
});

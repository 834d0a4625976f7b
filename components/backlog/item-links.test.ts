import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { ITEM_LIMITS } from "@/lib/backlog/schemas";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { describeLinkProblems, parseLinksText, readLinkIndex } from "./item-links";

// next-intl's default message type when the app declares none, which is how `useTranslations` types the catalogs.
// biome-ignore lint/suspicious/noExplicitAny: this is the type next-intl itself uses for undeclared messages.
type UntypedMessages = Record<string, any>;

const english = createTranslator({ locale: "en", messages: en as UntypedMessages, namespace: "backlog.form" });
const french = createTranslator({ locale: "fr", messages: fr as UntypedMessages, namespace: "backlog.form" });

describe("parseLinksText", () => {
  it("reads one link per line", () => {
    const parsed = parseLinksText("https://example.com/a\r\n\nhttp://example.com/b\n");

    expect(parsed.links).toEqual(["https://example.com/a", "http://example.com/b"]);
    expect(parsed.lines).toEqual([1, 3]);
    expect(parsed.problems).toEqual([]);
  });

  it("keeps a line with spaces whole", () => {
    const parsed = parseLinksText("not a url\njavascript:alert(1)");

    expect(parsed.links).toEqual(["not a url", "javascript:alert(1)"]);
    expect(parsed.problems).toEqual([
      { line: 1, link: "not a url", reason: "not_http" },
      { line: 2, link: "javascript:alert(1)", reason: "not_http" },
    ]);
  });

  it("reports a link that is too long", () => {
    const parsed = parseLinksText(`https://example.com/${"a".repeat(ITEM_LIMITS.link)}`);

    expect(parsed.problems[0]?.reason).toBe("too_long");
  });

  it("reports too many links", () => {
    const text = Array.from({ length: ITEM_LIMITS.links + 1 }, (_, index) => `https://example.com/${index}`).join("\n");

    expect(parseLinksText(text).tooMany).toBe(true);
  });
});

describe("describeLinkProblems", () => {
  it("names the line and the rule", () => {
    const messages = describeLinkProblems(parseLinksText("not a url\njavascript:alert(1)"), english);

    expect(messages).toEqual([
      "Line 1: “not a url” is not a valid link. A link must be an http or https URL, such as https://example.com/spec.",
      "Line 2: “javascript:alert(1)” is not a valid link. A link must be an http or https URL, such as https://example.com/spec.",
    ]);
  });

  it("words the problems in French", () => {
    const [message] = describeLinkProblems(parseLinksText("\njavascript:alert(1)"), french);

    expect(message).toBe(
      "Ligne 2 : « javascript:alert(1) » n’est pas un lien valide. Un lien doit être une URL http ou https, par exemple https://example.com/spec.",
    );
  });

  it("shortens a long line", () => {
    const [message] = describeLinkProblems(parseLinksText("x".repeat(500)), english);

    expect(message?.length).toBeLessThan(250);
  });

  it("returns nothing for valid links", () => {
    expect(describeLinkProblems(parseLinksText("https://example.com/spec"), english)).toEqual([]);
  });
});

describe("readLinkIndex", () => {
  it("reads the index of a links path", () => {
    expect(readLinkIndex("links[3]")).toBe(3);
    expect(readLinkIndex("title")).toBeUndefined();
  });
});

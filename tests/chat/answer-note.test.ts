import { NextIntlClientProvider } from "next-intl";
import { type ComponentProps, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Answer } from "@/components/chat/answer";
import type { ChatAnswerErrorKind, ChatUIMessage } from "@/lib/chat/types";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";

const catalogs = { en, fr } as const;

type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;

/** Render a stored answer as the chat panel shows it after a reload. */
function renderAnswer(locale: keyof typeof catalogs, metadata: ChatUIMessage["metadata"]): string {
  const message: ChatUIMessage = {
    id: "answer-1",
    role: "assistant",
    parts: [{ type: "text", text: "A01 is ranked" }],
    metadata,
  };
  const provider: Omit<ProviderProps, "children"> = { locale, messages: catalogs[locale], timeZone: "UTC" };
  return renderToStaticMarkup(
    createElement(
      NextIntlClientProvider,
      // The props type requires `children`, which createElement takes as its third argument instead.
      provider as ProviderProps,
      createElement(Answer, { message, workspaceId: "00000000-0000-4000-8000-000000000001" }),
    ),
  );
}

/** Text of the failure note, or undefined when the answer has none. */
function failureNote(html: string): string | undefined {
  return /<p[^>]*data-answer-error="[^"]*"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];
}

describe("Answer failure note", () => {
  const kinds: ChatAnswerErrorKind[] = ["failed", "timeout", "content_filter", "configuration"];

  for (const locale of ["en", "fr"] as const) {
    for (const kind of kinds) {
      it(`shows ${kind} in ${locale}`, () => {
        const note = failureNote(renderAnswer(locale, { error: kind }));

        expect(note).toBe(catalogs[locale].chat.answerError[kind]);
      });
    }
  }

  it("tells to rephrase a filtered question", () => {
    expect(failureNote(renderAnswer("en", { error: "content_filter" }))).toContain("Rephrase the question");
    expect(failureNote(renderAnswer("fr", { error: "content_filter" }))).toContain("Reformulez la question");
  });

  it("tells to contact an admin on configuration", () => {
    expect(failureNote(renderAnswer("en", { error: "configuration" }))).toContain("Contact an admin");
    expect(failureNote(renderAnswer("fr", { error: "configuration" }))).toContain("Contactez un administrateur");
  });

  it("shows an unknown kind as failed", () => {
    const note = failureNote(renderAnswer("en", { error: "quota" as ChatAnswerErrorKind }));

    expect(note).toBe(en.chat.answerError.failed);
  });

  it("shows no note on a complete answer", () => {
    expect(failureNote(renderAnswer("en", {}))).toBeUndefined();
  });
});

describe("Answer length note", () => {
  const truncatedNote = (html: string) => /<p[^>]*data-answer-truncated="[^"]*"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];

  it("shows a cut answer in French", () => {
    expect(truncatedNote(renderAnswer("fr", { truncated: true }))).toBe(fr.chat.truncated);
  });

  it("leaves a complete answer unmarked", () => {
    expect(truncatedNote(renderAnswer("en", {}))).toBeUndefined();
  });
});

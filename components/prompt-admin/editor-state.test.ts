import { NextIntlClientProvider } from "next-intl";
import { type ComponentProps, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import { applyStoredState, loadPane, type PaneState } from "./editor-state";
import { LanguagePane } from "./language-pane";
import type { EditorLanguage, EditorVersion } from "./types";

// biome-ignore lint/suspicious/noExplicitAny: next-intl types undeclared messages this way.
type UntypedMessages = Record<string, any>;

const parameters = { preset: "analytical" as const, overrides: {} };

function version(id: string, versionNumber: number, systemText: string): EditorVersion {
  return {
    id,
    versionNumber,
    systemText,
    userTemplate: "Explain {{item}}.",
    parameters,
    note: "",
    createdAt: "2026-12-05T23:14:00.000Z",
    authorId: "editor",
    authorName: "Editor",
  };
}

const v1 = version("v1", 1, "You explain rankings.");
const v2 = version("v2", 2, "You explain rankings briefly.");

function language(code: string, latest: EditorVersion, live: EditorVersion): EditorLanguage {
  return {
    language: code,
    latest,
    publishedVersionId: live.id,
    publishedVersionNumber: live.versionNumber,
    publishedBy: "editor",
    publishedByName: "Editor",
    draft: null,
  };
}

/** Render the pane of `pane.language` as it shows with `languages`, and return its text. */
function renderPaneText(languages: EditorLanguage[], pane: PaneState, other: PaneState): string {
  const view = createElement(LanguagePane, {
    prompt: { key: "explainer", description: "", modelRole: "fast", outputSchema: null, variables: [] },
    viewerId: "editor",
    data: languages.find((entry) => entry.language === pane.language),
    pane,
    setPane: () => {},
    other,
    languages: languages.map((entry) => entry.language),
    canEdit: true,
    gateOn: false,
    refresh: async () => languages,
    onSaved: async () => languages,
    onPreview: () => {},
    onLanguageChange: () => {},
    onAddLanguage: () => {},
  });
  const config: ComponentProps<typeof NextIntlClientProvider> = {
    locale: "en",
    messages: en as UntypedMessages,
    timeZone: "UTC",
    children: view,
  };
  return renderToStaticMarkup(createElement(NextIntlClientProvider, config))
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
}

describe("applyStoredState", () => {
  const before = [language("en", v1, v1), language("fr", v1, v1)];
  const after = [language("en", v2, v2), language("fr", v1, v1)];
  const edited: PaneState = {
    ...loadPane(before[0], "en"),
    content: { ...loadPane(before[0], "en").content, systemText: v2.systemText },
  };
  const french = loadPane(before[1], "fr");

  it("shows the published version in the header", () => {
    const state = applyStoredState(
      { languages: before, panes: [edited, french] },
      { side: 0, fresh: after, savedContent: edited.content },
    );
    const text = renderPaneText(state.languages, state.panes[0], state.panes[1]);

    expect(text).toContain("Live: v2");
    expect(text).toContain("latest saved: v2");
    expect(text).not.toContain("unsaved changes");
  });

  it("moves the pane's bases to the stored state", () => {
    const state = applyStoredState(
      { languages: before, panes: [edited, french] },
      { side: 0, fresh: after, savedContent: edited.content },
    );

    expect(state.panes[0].baseVersionId).toBe("v2");
    expect(state.panes[0].basePublishedVersionId).toBe("v2");
    expect(state.panes[0].savedContent).toEqual(edited.content);
    expect(state.panes[0].content).toEqual(edited.content);
  });

  it("keeps the other side's text and bases", () => {
    const frenchEdited: PaneState = { ...french, content: { ...french.content, systemText: "Texte modifié" } };
    const state = applyStoredState(
      { languages: before, panes: [edited, frenchEdited] },
      { side: 0, fresh: after, savedContent: edited.content },
    );

    expect(state.panes[1]).toBe(frenchEdited);
  });

  it("applies to the pane as it is now", () => {
    // The write started from `edited`; the pane was switched to French before its response came.
    const state = applyStoredState(
      { languages: before, panes: [french, french] },
      { side: 0, fresh: after, savedContent: french.content },
    );

    expect(state.panes[0].language).toBe("fr");
    expect(state.panes[0].baseVersionId).toBe("v1");
  });

  it("shows the old state before the write", () => {
    const text = renderPaneText(before, edited, french);

    expect(text).toContain("Live: v1");
    expect(text).toContain("unsaved changes");
  });
});

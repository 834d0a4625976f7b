import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { localizeServerError, type ServerErrorTranslator } from "@/lib/i18n/server-errors";
import type { LanguageHistory, VersionDiff } from "@/lib/prompt-admin/history";
import fr from "@/messages/fr.json";
import { ApiError, toServerError } from "./api";
import { currentDiffRequest, type HistoryAction, historyReducer, initialHistoryState } from "./history-state";

function historyOf(language: string, ids: string[]): LanguageHistory {
  return {
    language,
    publishedVersionId: ids[0] ?? null,
    versions: ids.map((id, index) => ({ id, versionNumber: ids.length - index })),
  } as unknown as LanguageHistory;
}

function diffOf(from: string, to: string): VersionDiff {
  return { from: { id: from }, to: { id: to } } as unknown as VersionDiff;
}

const english = historyOf("en", ["en-2", "en-1"]);
const french = historyOf("fr", ["fr-3", "fr-2", "fr-1"]);
const versionNotFound = new ApiError(404, "not_found", "Version en-1 of prompt explainer (fr) not found.", {
  params: { resource: "prompt_version" },
});

function apply(...actions: HistoryAction[]) {
  return actions.reduce(historyReducer, initialHistoryState("en"));
}

describe("historyReducer", () => {
  it("compares the two newest versions", () => {
    const state = apply({ type: "historyLoaded", history: english });

    expect(currentDiffRequest(state)).toEqual({ language: "en", from: "en-1", to: "en-2" });
  });

  it("sends no diff while the new language loads", () => {
    const state = apply({ type: "historyLoaded", history: english }, { type: "languageChanged", language: "fr" });

    expect(currentDiffRequest(state)).toBeNull();
    expect(state.diff).toBeNull();
  });

  it("diffs the new language's versions", () => {
    const state = apply(
      { type: "historyLoaded", history: english },
      { type: "languageChanged", language: "fr" },
      { type: "historyLoaded", history: french },
    );

    expect(currentDiffRequest(state)).toEqual({ language: "fr", from: "fr-2", to: "fr-3" });
  });

  it("ignores another language's history", () => {
    const state = apply({ type: "languageChanged", language: "fr" }, { type: "historyLoaded", history: english });

    expect(state.history).toBeNull();
    expect(currentDiffRequest(state)).toBeNull();
  });

  it("ignores a stale diff failure", () => {
    const state = apply(
      { type: "historyLoaded", history: english },
      { type: "languageChanged", language: "fr" },
      { type: "historyLoaded", history: french },
      { type: "diffFailed", request: { language: "fr", from: "en-1", to: "en-2" }, error: versionNotFound },
    );

    expect(state.error).toBeNull();
  });

  it("ignores a stale diff", () => {
    const state = apply(
      { type: "historyLoaded", history: english },
      { type: "languageChanged", language: "fr" },
      { type: "historyLoaded", history: french },
      { type: "diffLoaded", request: { language: "en", from: "en-1", to: "en-2" }, diff: diffOf("en-1", "en-2") },
    );

    expect(state.diff).toBeNull();
  });

  it("clears the error when a diff loads", () => {
    const state = apply(
      { type: "historyLoaded", history: english },
      { type: "diffFailed", request: { language: "en", from: "en-1", to: "en-2" }, error: versionNotFound },
      { type: "fromChanged", versionId: "en-2" },
      { type: "diffLoaded", request: { language: "en", from: "en-2", to: "en-2" }, diff: diffOf("en-2", "en-2") },
    );

    expect(state.error).toBeNull();
    expect(state.diff).toEqual(diffOf("en-2", "en-2"));
  });

  it("keeps the error of the current diff", () => {
    const state = apply(
      { type: "historyLoaded", history: english },
      { type: "diffFailed", request: { language: "en", from: "en-1", to: "en-2" }, error: versionNotFound },
    );

    expect(state.error?.code).toBe("not_found");
  });
});

describe("toServerError", () => {
  // biome-ignore lint/suspicious/noExplicitAny: next-intl types undeclared catalogs this way too.
  const messages = fr as Record<string, any>;
  const t = createTranslator({ locale: "fr", messages, namespace: "serverErrors" }) as ServerErrorTranslator;

  it("localizes a missing version in French", () => {
    const text = localizeServerError(toServerError(versionNotFound), t);

    expect(text).not.toBe(versionNotFound.message);
    expect(text).toMatch(/^Version de prompt introuvable/);
  });

  it("keeps the message of a network failure", () => {
    expect(toServerError(new TypeError("Failed to fetch"))).toEqual({ message: "Failed to fetch" });
  });
});

import { NextIntlClientProvider } from "next-intl";
import { type ComponentProps, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ConflictView } from "@/components/prompt-admin/conflict-view";
import {
  type Conflict,
  type ConflictAuthor,
  findConflictAuthor,
  identifyConflictAuthor,
  toEditorLanguages,
} from "@/components/prompt-admin/editor-state";
import type { EditorLanguage } from "@/components/prompt-admin/types";
import type { DatabaseHandle } from "@/db/client";
import { getUserById } from "@/db/queries/users";
import { describeEachEngine } from "@/lib/testing/database";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { BASE_URL, createPromptAdminHarness, jsonRequest, type PromptAdminHarness, routeContext } from "./harness";

// The routes read the database through `@/db`, which here returns the harness's real test database.
const current = vi.hoisted(() => ({ handle: undefined as DatabaseHandle | undefined }));
vi.mock("@/db", () => ({ getDatabase: async () => current.handle, getDb: async () => current.handle?.db }));

const detailRoute = await import("@/app/api/admin/prompts/[key]/route");
const versions = await import("@/app/api/admin/prompts/[key]/languages/[language]/versions/route");
const draft = await import("@/app/api/admin/prompts/[key]/languages/[language]/draft/route");
const publish = await import("@/app/api/admin/prompts/[key]/languages/[language]/publish/route");

const KEY = "summarizer";

// next-intl's default message type when the app declares none, which is how `useTranslations` types the catalogs.
// biome-ignore lint/suspicious/noExplicitAny: this is the type next-intl itself uses for undeclared messages.
type UntypedMessages = Record<string, any>;

/** Render the conflict screen as the viewer sees it and return its text. */
function renderConflict(conflict: Conflict, viewerId: string, locale: "en" | "fr" = "en"): string {
  const view = createElement(ConflictView, { conflict, viewerId, onKeepMine: () => {}, onLoadTheirs: () => {} });
  const config: ComponentProps<typeof NextIntlClientProvider> = {
    locale,
    messages: (locale === "en" ? en : fr) as UntypedMessages,
    timeZone: "UTC",
    children: view,
  };
  const html = renderToStaticMarkup(createElement(NextIntlClientProvider, config));
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, " ");
}

describe("identifyConflictAuthor", () => {
  const viewerId = "7f1c2d3e-0000-4000-8000-000000000001";

  it("names the viewer when they made the change", () => {
    expect(identifyConflictAuthor({ id: viewerId, name: "Eli Editor" }, viewerId)).toEqual({ who: "you" });
  });

  it("names another editor by name", () => {
    const author: ConflictAuthor = { id: "7f1c2d3e-0000-4000-8000-000000000002", name: "Ada Admin" };

    expect(identifyConflictAuthor(author, viewerId)).toEqual({ who: "named", name: "Ada Admin" });
  });

  it("stays neutral for a deleted author", () => {
    expect(identifyConflictAuthor({ id: null, name: null }, viewerId)).toEqual({ who: "unknown" });
  });
});

describeEachEngine("conflict screen author", (engine) => {
  let harness: PromptAdminHarness;
  let editorName: string;
  let adminName: string;

  beforeAll(async () => {
    harness = await createPromptAdminHarness(engine);
    current.handle = harness.handle;
    editorName = (await getUserById(harness.handle.db, { id: harness.users.editor.userId }))?.name ?? "";
    adminName = (await getUserById(harness.handle.db, { id: harness.users.admin.userId }))?.name ?? "";
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  async function readEnglish(headers: Record<string, string>): Promise<EditorLanguage> {
    const response = await detailRoute.GET(
      jsonRequest(`${BASE_URL}/${KEY}`, "GET", headers),
      routeContext({ key: KEY }),
    );
    const body = await response.json();
    const english = toEditorLanguages(body.languages).find((entry) => entry.language === "en");
    if (!english) throw new Error(`${KEY} has no English state`);
    return english;
  }

  it("tells own version from another editor's", async () => {
    const editor = harness.users.editor;
    const before = await readEnglish(editor.headers);
    const latest = before.latest;
    if (!latest) throw new Error(`${KEY} has no English version`);
    const saved = await versions.POST(
      jsonRequest(`${BASE_URL}/${KEY}/languages/en/versions`, "POST", editor.headers, {
        systemText: latest.systemText,
        userTemplate: `${latest.userTemplate}\nKeep the summary short.`,
        parameters: latest.parameters,
        baseVersionId: latest.id,
        note: "",
      }),
      routeContext({ key: KEY, language: "en" }),
    );
    const fresh = await readEnglish(editor.headers);
    const author = findConflictAuthor("version", fresh);
    const conflict: Conflict = { kind: "version", theirs: fresh.latest, mine: latest, author };

    expect(saved.status).toBe(201);
    expect(author).toEqual({ id: editor.userId, name: editorName });
    expect(renderConflict(conflict, editor.userId)).toContain("You saved a new version in another tab or window");
    expect(renderConflict(conflict, editor.userId)).toContain("from your other tab");
    expect(renderConflict(conflict, editor.userId)).not.toContain("Another editor");
    expect(renderConflict(conflict, editor.userId, "fr")).toContain(
      "Vous avez enregistré une nouvelle version dans un autre onglet ou une autre fenêtre",
    );
    expect(renderConflict(conflict, harness.users.admin.userId)).toContain(`${editorName} saved a new version`);
    expect(renderConflict(conflict, harness.users.admin.userId, "fr")).toContain(
      `${editorName} a enregistré une nouvelle version`,
    );
  });

  it("names the editor who saved the draft", async () => {
    const admin = harness.users.admin;
    const before = await readEnglish(admin.headers);
    const latest = before.latest;
    if (!latest) throw new Error(`${KEY} has no English version`);
    const saved = await draft.PUT(
      jsonRequest(`${BASE_URL}/${KEY}/languages/en/draft`, "PUT", admin.headers, {
        systemText: latest.systemText,
        userTemplate: `${latest.userTemplate}\nName the largest segment first.`,
        parameters: latest.parameters,
        baseVersionId: latest.id,
        baseDraftRevision: before.draft?.revision ?? null,
      }),
      routeContext({ key: KEY, language: "en" }),
    );
    const fresh = await readEnglish(harness.users.editor.headers);
    const author = findConflictAuthor("draft", fresh);
    const conflict: Conflict = { kind: "draft", theirs: fresh.draft, mine: latest, author };

    expect(saved.ok).toBe(true);
    expect(author).toEqual({ id: admin.userId, name: adminName });
    expect(renderConflict(conflict, harness.users.editor.userId)).toContain(`${adminName} saved the draft`);
    expect(renderConflict(conflict, admin.userId)).toContain("You saved the draft in another tab or window");
  });

  it("names the editor who published", async () => {
    const editor = harness.users.editor;
    const before = await readEnglish(editor.headers);
    const latest = before.latest;
    if (!latest) throw new Error(`${KEY} has no English version`);
    const published = await publish.POST(
      jsonRequest(`${BASE_URL}/${KEY}/languages/en/publish`, "POST", editor.headers, {
        versionId: latest.id,
        basePublishedVersionId: before.publishedVersionId,
        note: "",
      }),
      routeContext({ key: KEY, language: "en" }),
    );
    const fresh = await readEnglish(harness.users.admin.headers);
    const author = findConflictAuthor("publish", fresh);
    const conflict: Conflict = { kind: "publish", theirs: fresh.latest, mine: null, author };

    expect(published.ok).toBe(true);
    expect(fresh.publishedVersionId).toBe(latest.id);
    expect(author).toEqual({ id: editor.userId, name: editorName });
    expect(renderConflict(conflict, harness.users.admin.userId)).toContain(`${editorName} published first`);
    expect(renderConflict(conflict, editor.userId)).toContain("You published from another tab or window first");
  });

  it("uses a neutral title without an author", () => {
    const mine = {
      systemText: "System",
      userTemplate: "User",
      parameters: { preset: "analytical" as const, overrides: {} },
    };
    const conflict: Conflict = { kind: "version", theirs: null, mine, author: { id: null, name: null } };

    expect(renderConflict(conflict, harness.users.editor.userId)).toContain(
      "A new version was saved since this page loaded",
    );
  });
});

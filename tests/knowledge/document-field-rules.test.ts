import { createTranslator } from "next-intl";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { labelDocumentField } from "@/components/knowledge/add-documents";
import { describeDocumentError } from "@/components/knowledge/document-errors";
import type { DatabaseHandle } from "@/db/client";
import type { Gateway } from "@/lib/ai";
import { localizeServerError, parseServerErrorBody, type ServerError } from "@/lib/i18n/server-errors";
import { describeEachEngine } from "@/lib/testing/database";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { createTokenUser } from "./actors";
import { createKnowledgeHarness, createWorkspaceWithUser, type KnowledgeHarness } from "./harness";

// The routes read the process-wide database and gateway; point both at this test's.
const current = vi.hoisted(() => ({
  handle: undefined as DatabaseHandle | undefined,
  gateway: undefined as Gateway | undefined,
}));
vi.mock("@/db", () => ({
  getDatabase: async () => current.handle,
  getDb: async () => current.handle?.db,
}));
vi.mock("@/lib/ai", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/ai")>()),
  getGateway: () => current.gateway,
}));

const collection = await import("@/app/api/v1/workspaces/[workspaceId]/documents/route");

// biome-ignore lint/suspicious/noExplicitAny: next-intl types undeclared catalogs this way too.
type UntypedMessages = Record<string, any>;

const base = "http://127.0.0.1/api/v1/workspaces";
const context = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

/** Word an error as the forms that add documents do, in `locale`. */
function describeInForm(error: ServerError, locale: "en" | "fr"): string {
  const messages = (locale === "en" ? en : fr) as UntypedMessages;
  const serverErrors = createTranslator({ locale, messages, namespace: "serverErrors" });
  const knowledge = createTranslator({ locale, messages, namespace: "knowledge" });
  const localize = (value: ServerError) =>
    localizeServerError(value, serverErrors, { labelField: (path) => labelDocumentField(path, knowledge) });
  return describeDocumentError(error, knowledge, localize);
}

function uploadForm(fields: Record<string, string>): FormData {
  const form = new FormData();
  form.set("file", new File(["Finance teams want one Excel file."], "notes.md", { type: "text/plain" }));
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

describeEachEngine("document field rules", (engine) => {
  let harness: KnowledgeHarness;
  let workspaceId: string;
  let member: { headers: Record<string, string> };

  beforeAll(async () => {
    harness = await createKnowledgeHarness(engine);
    current.handle = harness.handle;
    current.gateway = harness.gateway;
    workspaceId = (await createWorkspaceWithUser(harness.handle)).workspaceId;
    member = await createTokenUser(harness.handle, { workspaceId });
  });

  afterAll(async () => {
    await harness?.close();
  });

  async function post(body: BodyInit, headers: Record<string, string> = {}) {
    const response = await collection.POST(
      new Request(`${base}/${workspaceId}/documents`, {
        method: "POST",
        body,
        headers: { ...member.headers, ...headers },
      }),
      context({ workspaceId }),
    );
    const error = parseServerErrorBody(await response.json());
    return { status: response.status, error };
  }

  const paste = (fields: Record<string, string>) =>
    post(JSON.stringify({ title: "Notes", content: "Finance teams want one Excel file.", ...fields }), {
      "content-type": "application/json",
    });

  it("states the language rule of an upload", async () => {
    const { status, error } = await post(uploadForm({ language: "english!!" }));

    expect(status).toBe(400);
    expect(error?.message).toContain("language: expected a language tag such as en, fr or pt-BR");
  });

  it("states the link rule of an upload", async () => {
    const { status, error } = await post(uploadForm({ sourceUrl: "javascript:alert(1)" }));

    expect(status).toBe(400);
    expect(error?.message).toContain("sourceUrl: expected an http or https URL");
  });

  it("takes empty upload fields as not given", async () => {
    const { status } = await post(uploadForm({ language: "", sourceUrl: "" }));

    expect(status).toBe(201);
  });

  it("words the paste link rule in the form", async () => {
    const { status, error } = await paste({ sourceUrl: "javascript:alert(1)" });
    if (!error) throw new Error("expected an error body");

    expect(status).toBe(400);
    expect(describeInForm(error, "en")).toBe(
      "Source link: enter an http or https link, such as https://example.com/notes, or leave the field empty.",
    );
    expect(describeInForm(error, "fr")).toContain("Lien de la source : saisissez un lien http ou https");
  });

  it("words the paste language rule in the form", async () => {
    const { error } = await paste({ language: "not a language!!" });
    if (!error) throw new Error("expected an error body");

    expect(describeInForm(error, "en")).toBe(
      "Language: enter a language tag such as en, fr or pt-BR, or leave the field empty.",
    );
  });

  it("words both rules and other fields together", async () => {
    const { error } = await paste({ language: "??", sourceUrl: "ftp://example.com", kind: "memo" });
    if (!error) throw new Error("expected an error body");
    const message = describeInForm(error, "en");

    expect(message).toContain("Language: enter a language tag");
    expect(message).toContain("Source link: enter an http or https link");
    expect(message).toContain("Type");
  });

  it("states the rule of a list filter", async () => {
    const response = await collection.GET(
      new Request(`${base}/${workspaceId}/documents?language=english!!&kind=memo`, { headers: member.headers }),
      context({ workspaceId }),
    );
    const error = parseServerErrorBody(await response.json());

    expect(response.status).toBe(400);
    expect(error?.message).toContain("expected a language tag such as en, fr or pt-BR");
    expect(error?.message).toContain("expected one of note, feedback, file");
  });
});

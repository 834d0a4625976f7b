import { createTranslator } from "next-intl";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { labelDocumentField } from "@/components/knowledge/add-documents";
import type { DatabaseHandle } from "@/db/client";
import type { Gateway } from "@/lib/ai";
import { createDocument, createDocumentSchema } from "@/lib/backlog/documents";
import { AppError } from "@/lib/errors";
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

const english = createTranslator({ locale: "en", messages: en as UntypedMessages, namespace: "serverErrors" });
const french = createTranslator({ locale: "fr", messages: fr as UntypedMessages, namespace: "serverErrors" });
const frenchKnowledge = createTranslator({ locale: "fr", messages: fr as UntypedMessages, namespace: "knowledge" });

const base = "http://127.0.0.1/api/v1/workspaces";
const context = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

function uploadForm(fileName: string, content: BlobPart, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.set("file", new File([content], fileName, { type: "text/plain" }));
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

/** Localize an error as the documents forms do, with their field labels. */
function localizeInFrench(error: ServerError): string {
  return localizeServerError(error, french, { labelField: (path) => labelDocumentField(path, frenchKnowledge) });
}

describeEachEngine("document upload errors", (engine) => {
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

  const post = async (body: BodyInit, headers: Record<string, string> = {}) => {
    const response = await collection.POST(
      new Request(`${base}/${workspaceId}/documents`, {
        method: "POST",
        body,
        headers: { ...member.headers, ...headers },
      }),
      context({ workspaceId }),
    );
    const error = parseServerErrorBody(await response.json());
    if (!error) throw new Error(`expected an error body, got status ${response.status}`);
    return { status: response.status, error };
  };
  const paste = (fields: Record<string, string>) =>
    post(JSON.stringify({ title: "Notes", content: "Some text.", ...fields }), { "content-type": "application/json" });

  it("words a file that is not UTF-8", async () => {
    const { status, error } = await post(uploadForm("latin1.txt", new Uint8Array([0x63, 0x61, 0x66, 0xe9])));

    expect(status).toBe(400);
    expect(error.details?.reason).toBe("upload_not_utf8");
    expect(localizeInFrench(error)).toBe(
      "latin1.txt n’est pas un texte UTF-8. Enregistrez-le en UTF-8 et envoyez-le de nouveau.",
    );
    expect(localizeServerError(error, english)).toBe(
      "latin1.txt is not UTF-8 text. Save it as UTF-8 and upload it again.",
    );
  });

  it("words a JSONL line that is not JSON", async () => {
    const lines = `${JSON.stringify({ id: "OK1", text: "Fine." })}\n{not json`;
    const { error } = await post(uploadForm("bad.jsonl", lines));

    expect(error.details?.reason).toBe("upload_line_not_json");
    expect(localizeInFrench(error)).toBe(
      "La ligne 2 de bad.jsonl n’est pas du JSON valide. Chaque ligne doit être un objet JSON.",
    );
  });

  it("words a JSONL line with invalid values", async () => {
    const { error } = await post(uploadForm("short.jsonl", JSON.stringify({ id: "X1", language: "english!" })));

    expect(error.details?.reason).toBe("upload_line_invalid");
    expect(localizeInFrench(error)).toBe(
      "La ligne 1 de short.jsonl contient des valeurs non valides pour : text, language.",
    );
  });

  it("words a JSONL id repeated within the file", async () => {
    const lines = [JSON.stringify({ id: "QF3", text: "ok" }), JSON.stringify({ id: "QF3", text: "duplicate id" })];
    const { status, error } = await post(uploadForm("feedback.jsonl", lines.join("\n")));

    expect(status).toBe(400);
    expect(error.details?.reason).toBe("upload_line_duplicate_id");
    expect(localizeInFrench(error)).toBe(
      "Les lignes 1 et 2 de feedback.jsonl ont le même identifiant « QF3 ». Donnez à chaque ligne son propre identifiant.",
    );
    expect(localizeServerError(error, english)).toBe(
      "Lines 1 and 2 of feedback.jsonl have the same id “QF3”. Give each line its own id.",
    );
  });

  it("words an empty file", async () => {
    const { error } = await post(uploadForm("empty.md", "  \n"));

    expect(error.details?.reason).toBe("upload_empty");
    expect(localizeInFrench(error)).toBe("empty.md est vide. Envoyez un fichier qui contient du texte.");
  });

  it("words an unsupported file type", async () => {
    const { error } = await post(uploadForm("slides.pdf", "%PDF-1.4"));

    expect(error.details?.reason).toBe("upload_unsupported_type");
    expect(localizeInFrench(error)).toBe(
      "Le type de slides.pdf n’est pas pris en charge. Envoyez un fichier de l’un de ces types : .md, .markdown, .txt, .csv, .jsonl.",
    );
  });

  it("words an unknown item reference", async () => {
    const { error } = await paste({ itemRef: "A999" });

    expect(error.details?.reason).toBe("document_item_ref_unknown");
    expect(localizeInFrench(error)).toBe(
      "Aucun élément du backlog n’a l’identifiant A999. Utilisez un identifiant comme A01 ou #12.",
    );
  });

  it("words a repeated document id", async () => {
    const fields = createDocumentSchema.parse({
      kind: "note",
      title: "Call notes",
      content: "Text.",
      externalId: "N1",
    });
    await createDocument(harness.handle.db, { workspaceId, actorId: null, fields });
    const error = await createDocument(harness.handle.db, { workspaceId, actorId: null, fields }).catch(
      (caught) => caught,
    );

    expect(error).toBeInstanceOf(AppError);
    expect(localizeInFrench(error as AppError)).toBe("Un autre document a déjà l’identifiant « N1 ».");
  });

  it("names an invalid pasted field by its label", async () => {
    const { status, error } = await paste({ language: "english!" });

    expect(status).toBe(400);
    expect(localizeInFrench(error)).toBe("Valeurs non valides dans : Langue. Corrigez-les et réessayez.");
  });

  it("names an invalid upload field by its label", async () => {
    const { error } = await post(uploadForm("notes.md", "# Notes", { language: "english!" }));

    expect(localizeInFrench(error)).toBe("Valeurs non valides dans : Langue. Corrigez-les et réessayez.");
  });
});

import { z } from "zod";
import type { Db } from "@/db/client";
import { insertAuditEntries } from "@/db/queries/backlog";
import { getDocument, insertDocuments, setDocumentDeleted } from "@/db/queries/documents";
import { type Document, documentKinds } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { getItemOrThrow } from "./items";

export const createDocumentSchema = z.object({
  kind: z.enum(documentKinds),
  title: z.string().trim().min(1, "is required").max(300),
  content: z.string().min(1, "is required").max(1_000_000),
  sourceUrl: z
    .string()
    .trim()
    .max(2000)
    .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), "must be an http or https URL")
    .nullable()
    .default(null),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a language tag such as en or fr-CA")
    .nullable()
    .default(null),
  externalId: z.string().trim().min(1).max(64).nullable().default(null),
  itemId: z.uuid().nullable().default(null),
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type CreateDocument = z.infer<typeof createDocumentSchema>;

/** Add a document; its item, when given, must be a live item of the same workspace. */
export async function createDocument(
  db: Db,
  params: { workspaceId: string; actorId: string | null; fields: CreateDocument },
): Promise<Document> {
  const fields = createDocumentSchema.parse(params.fields);
  return db.transaction(async (tx) => {
    if (fields.itemId) await getItemOrThrow(tx, { workspaceId: params.workspaceId, itemId: fields.itemId });
    const [row] = await insertDocuments(tx, [
      { ...fields, workspaceId: params.workspaceId, createdById: params.actorId },
    ]);
    if (!row) {
      throw new AppError(409, "duplicate_external_id", `Another document already has the id "${fields.externalId}".`, {
        field: "externalId",
        params: { externalId: fields.externalId ?? "" },
      });
    }
    await insertAuditEntries(tx, [
      {
        workspaceId: params.workspaceId,
        actorId: params.actorId,
        action: "document.create",
        entityType: "document",
        entityId: row.id,
      },
    ]);
    return row;
  });
}

/** Soft-delete a document or undo that; a document already in the requested state is a 404. */
export async function setDocumentDeletedOrThrow(
  db: Db,
  params: { workspaceId: string; actorId: string | null; documentId: string; deleted: boolean },
): Promise<Document> {
  return db.transaction(async (tx) => {
    const row = await setDocumentDeleted(tx, params);
    if (!row) throw notFound("document");
    await insertAuditEntries(tx, [
      {
        workspaceId: params.workspaceId,
        actorId: params.actorId,
        action: params.deleted ? "document.delete" : "document.restore",
        entityType: "document",
        entityId: row.id,
      },
    ]);
    return row;
  });
}

export async function getDocumentOrThrow(
  db: Db,
  params: { workspaceId: string; documentId: string },
): Promise<Document> {
  const row = await getDocument(db, params);
  if (!row) throw notFound("document");
  return row;
}

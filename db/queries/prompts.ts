import { and, asc, count, desc, eq, or, sql } from "drizzle-orm";
import { type Db, executeRows } from "@/db/client";
import {
  type AuditLog,
  auditLog,
  type Prompt,
  type PromptDraft,
  type PromptPublication,
  type PromptVersion,
  prompt,
  promptDraft,
  promptPublication,
  promptVersion,
} from "@/db/schema";
import type { ModelRole, PromptVariable } from "@/lib/prompts/manifest";
import type { ParameterSettings } from "@/lib/prompts/parameters";
import type { OutputSchemaName } from "@/lib/tasks/schemas";

/** Channel that publishing notifies on, so every instance reloads its prompt cache. */
export const PROMPT_CHANNEL = "rankwise_prompt_published";

export async function countPrompts(db: Db): Promise<number> {
  const [row] = await db.select({ value: count() }).from(prompt);
  return row?.value ?? 0;
}

export async function listPrompts(db: Db): Promise<Prompt[]> {
  return db.select().from(prompt).orderBy(asc(prompt.key));
}

export async function getPromptByKey(db: Db, params: { key: string }): Promise<Prompt | undefined> {
  const [row] = await db.select().from(prompt).where(eq(prompt.key, params.key));
  return row;
}

/** Lock the prompt row until the transaction ends, so saves and publishes of one prompt run one at a time. */
export async function lockPromptByKey(db: Db, params: { key: string }): Promise<Prompt | undefined> {
  const [row] = await db.select().from(prompt).where(eq(prompt.key, params.key)).for("update");
  return row;
}

export async function upsertPrompt(
  db: Db,
  params: {
    key: string;
    description: string;
    variables: PromptVariable[];
    outputSchema: OutputSchemaName | null;
    modelRole: ModelRole;
  },
): Promise<Prompt> {
  const { key, ...fields } = params;
  const [row] = await db
    .insert(prompt)
    .values(params)
    .onConflictDoUpdate({ target: prompt.key, set: { ...fields, updatedAt: sql`now()` } })
    .returning();
  if (!row) throw new Error("upsert into prompt returned no row");
  return row;
}

export async function getPromptVersionById(db: Db, params: { id: string }): Promise<PromptVersion | undefined> {
  const [row] = await db.select().from(promptVersion).where(eq(promptVersion.id, params.id));
  return row;
}

export async function getLatestPromptVersion(
  db: Db,
  params: { key: string; language: string },
): Promise<PromptVersion | undefined> {
  const [row] = await db
    .select()
    .from(promptVersion)
    .where(and(eq(promptVersion.promptKey, params.key), eq(promptVersion.language, params.language)))
    .orderBy(desc(promptVersion.versionNumber))
    .limit(1);
  return row;
}

/** The newest version with this content, if one exists. */
export async function findPromptVersionByHash(
  db: Db,
  params: { key: string; language: string; contentHash: string },
): Promise<PromptVersion | undefined> {
  const [row] = await db
    .select()
    .from(promptVersion)
    .where(
      and(
        eq(promptVersion.promptKey, params.key),
        eq(promptVersion.language, params.language),
        eq(promptVersion.contentHash, params.contentHash),
      ),
    )
    .orderBy(desc(promptVersion.versionNumber))
    .limit(1);
  return row;
}

export async function listPromptVersions(db: Db, params: { key: string; language?: string }): Promise<PromptVersion[]> {
  const conditions = [eq(promptVersion.promptKey, params.key)];
  if (params.language) conditions.push(eq(promptVersion.language, params.language));
  return db
    .select()
    .from(promptVersion)
    .where(and(...conditions))
    .orderBy(asc(promptVersion.language), desc(promptVersion.versionNumber));
}

export async function insertPromptVersion(
  db: Db,
  params: {
    key: string;
    language: string;
    versionNumber: number;
    systemText: string;
    userTemplate: string;
    parameters: ParameterSettings;
    contentHash: string;
    authorId: string | null;
    note: string;
  },
): Promise<PromptVersion> {
  const { key, ...fields } = params;
  const [row] = await db
    .insert(promptVersion)
    .values({ promptKey: key, ...fields })
    .returning();
  if (!row) throw new Error("insert into prompt_version returned no row");
  return row;
}

export async function getPromptPublication(
  db: Db,
  params: { key: string; language: string },
): Promise<PromptPublication | undefined> {
  const [row] = await db
    .select()
    .from(promptPublication)
    .where(and(eq(promptPublication.promptKey, params.key), eq(promptPublication.language, params.language)));
  return row;
}

/** Point the language at a version, creating the publication row on first publish. */
export async function setPromptPublication(
  db: Db,
  params: { key: string; language: string; versionId: string; publishedBy: string | null },
): Promise<PromptPublication> {
  const values = {
    promptKey: params.key,
    language: params.language,
    versionId: params.versionId,
    publishedBy: params.publishedBy,
  };
  const [row] = await db
    .insert(promptPublication)
    .values(values)
    .onConflictDoUpdate({
      target: [promptPublication.promptKey, promptPublication.language],
      set: { versionId: values.versionId, publishedBy: values.publishedBy, publishedAt: sql`now()` },
    })
    .returning();
  if (!row) throw new Error("upsert into prompt_publication returned no row");
  return row;
}

export interface PublishedPromptRow {
  prompt: Prompt;
  version: PromptVersion;
  publication: PromptPublication;
}

/** Every published version with its prompt, ordered by key and language. */
export async function listPublishedPromptVersions(db: Db): Promise<PublishedPromptRow[]> {
  return db
    .select({ prompt, version: promptVersion, publication: promptPublication })
    .from(promptPublication)
    .innerJoin(prompt, eq(prompt.key, promptPublication.promptKey))
    .innerJoin(promptVersion, eq(promptVersion.id, promptPublication.versionId))
    .orderBy(asc(promptPublication.promptKey), asc(promptPublication.language));
}

/**
 * Compute a digest of what the prompt cache depends on (publications and prompt settings).
 * Instances compare it periodically with the digest of their cache to catch a missed notification.
 */
export async function getPromptCatalogFingerprint(db: Db): Promise<string> {
  const rows = await executeRows<{ fingerprint: string }>(
    db,
    sql`select md5(
      coalesce((select string_agg(${promptPublication.promptKey} || ':' || ${promptPublication.language} || ':' || ${promptPublication.versionId}::text, ',' order by ${promptPublication.promptKey}, ${promptPublication.language}) from ${promptPublication}), '')
      || '|' ||
      coalesce((select string_agg(${prompt.key} || ':' || ${prompt.updatedAt}::text, ',' order by ${prompt.key}) from ${prompt}), '')
    ) as fingerprint`,
  );
  return rows[0]?.fingerprint ?? "";
}

/** Send the cache notification; inside a transaction Postgres delivers it on commit, and never on rollback. */
export async function notifyPromptChange(db: Db, params: { key: string; language?: string }): Promise<void> {
  await db.execute(sql`select pg_notify(${PROMPT_CHANNEL}, ${JSON.stringify(params)})`);
}

export async function getPromptDraft(
  db: Db,
  params: { key: string; language: string },
): Promise<PromptDraft | undefined> {
  const [row] = await db
    .select()
    .from(promptDraft)
    .where(and(eq(promptDraft.promptKey, params.key), eq(promptDraft.language, params.language)));
  return row;
}

export async function upsertPromptDraft(
  db: Db,
  params: {
    key: string;
    language: string;
    systemText: string;
    userTemplate: string;
    parameters: ParameterSettings;
    baseVersionId: string | null;
    revision: number;
    updatedBy: string | null;
  },
): Promise<PromptDraft> {
  const { key, ...fields } = params;
  const { language: _language, ...changes } = fields;
  const [row] = await db
    .insert(promptDraft)
    .values({ promptKey: key, ...fields })
    .onConflictDoUpdate({
      target: [promptDraft.promptKey, promptDraft.language],
      set: { ...changes, updatedAt: sql`now()` },
    })
    .returning();
  if (!row) throw new Error("upsert into prompt_draft returned no row");
  return row;
}

export async function deletePromptDraft(db: Db, params: { key: string; language: string }): Promise<void> {
  await db
    .delete(promptDraft)
    .where(and(eq(promptDraft.promptKey, params.key), eq(promptDraft.language, params.language)));
}

/**
 * Audit entries of prompts use entity type `prompt` and entity id `<key>:<language>`, or the bare
 * key for changes to the prompt itself (description, variables, output schema, model role).
 */
export async function insertPromptAuditEntry(
  db: Db,
  params: {
    actorId: string | null;
    action: PromptAuditAction;
    key: string;
    language?: string;
    before: unknown;
    after: unknown;
  },
): Promise<void> {
  await db.insert(auditLog).values({
    actorId: params.actorId,
    action: params.action,
    entityType: "prompt",
    entityId: params.language ? `${params.key}:${params.language}` : params.key,
    before: params.before ?? null,
    after: params.after ?? null,
  });
}

export type PromptAuditAction =
  | "prompt.update"
  | "prompt.draft.save"
  | "prompt.version.save"
  | "prompt.publish"
  | "prompt.rollback";

export async function listPromptAuditEntries(db: Db, params: { key: string; language?: string }): Promise<AuditLog[]> {
  const entity = params.language
    ? eq(auditLog.entityId, `${params.key}:${params.language}`)
    : or(eq(auditLog.entityId, params.key), sql`starts_with(${auditLog.entityId}, ${`${params.key}:`})`);
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, "prompt"), entity))
    .orderBy(asc(auditLog.createdAt));
}

/** Arbitrary constant shared by every instance, so only one of them imports prompt files at a time. */
const PROMPT_IMPORT_LOCK_KEY = 72_690_417;

/** Serialize prompt imports across instances until the transaction ends. */
export async function lockPromptImport(db: Db): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${PROMPT_IMPORT_LOCK_KEY})`);
}

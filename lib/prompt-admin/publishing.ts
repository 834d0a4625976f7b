import { z } from "zod";
import type { Db } from "@/db/client";
import {
  getTestPolicy,
  insertPublicationNote,
  listLatestResultsForVersion,
  listTestCases,
} from "@/db/queries/prompt-tests";
import {
  getPromptByKey,
  getPromptPublication,
  getPromptVersionById,
  listPromptAuditEntries,
} from "@/db/queries/prompts";
import type { Prompt, PromptTestResult, PromptVersion } from "@/db/schema";
import type { ModelInfo } from "@/lib/ai";
import type { Actor } from "@/lib/auth/actor";
import { AppError, badRequest, notFound } from "@/lib/errors";
import { type PublicationResult, publishPromptVersion, rollbackPrompt } from "@/lib/prompts/store";
import type { PromptIssue } from "@/lib/prompts/validation";
import { buildPreview, type UnresolvedPlaceholder } from "./preview";

/**
 * Publishing with gates: a version goes live only when its preview with the sample variables has
 * no unresolved placeholder and no lint issue, and, when the prompt's gate is on, when every
 * active test case passed on that very version. The prompt store then moves the pointer (409 when
 * someone else published meanwhile).
 */

export const publishRequestSchema = z.object({
  versionId: z.uuid(),
  /** Version that was live when the editor decided; null when none was. */
  basePublishedVersionId: z.uuid().nullable(),
  note: z.string().trim().max(500).default(""),
});
export type PublishRequest = z.infer<typeof publishRequestSchema>;

export const rollbackRequestSchema = publishRequestSchema.extend({
  note: z.string({ error: "say why you roll back" }).trim().min(1, "say why you roll back").max(500),
});

export interface CaseGateStatus {
  caseId: string;
  name: string;
  /** Verdict of the newest result of the case on this version; null when it never ran on it. */
  verdict: PromptTestResult["verdict"] | null;
}

export interface PublishGates {
  allowed: boolean;
  preview: { clean: boolean; unresolved: UnresolvedPlaceholder[]; issues: PromptIssue[] };
  tests: { required: boolean; passed: boolean; cases: CaseGateStatus[] };
}

export async function checkPublishGates(
  db: Db,
  params: { prompt: Prompt; version: PromptVersion; modelInfo: ModelInfo },
): Promise<PublishGates> {
  const preview = buildPreview(params.prompt, { ...params.version, variables: {} }, params.modelInfo);
  const previewClean = preview.unresolved.length === 0 && preview.issues.length === 0;

  const policy = await getTestPolicy(db, { promptKey: params.prompt.key });
  const required = policy?.requirePassingTests ?? false;
  const cases = await listTestCases(db, { promptKey: params.prompt.key });
  const results = await listLatestResultsForVersion(db, { versionId: params.version.id });
  const caseStatus = cases.map((testCase) => ({
    caseId: testCase.id,
    name: testCase.name,
    verdict: results.find((result) => result.caseId === testCase.id)?.verdict ?? null,
  }));
  const testsPassed = caseStatus.every((entry) => entry.verdict === "passed");

  return {
    allowed: previewClean && (!required || testsPassed),
    preview: { clean: previewClean, unresolved: preview.unresolved, issues: preview.issues },
    tests: { required, passed: testsPassed, cases: caseStatus },
  };
}

export async function getPromptOrThrow(db: Db, key: string): Promise<Prompt> {
  const prompt = await getPromptByKey(db, { key });
  if (!prompt) throw notFound("prompt", `Prompt ${key}`);
  return prompt;
}

export async function getVersionOrThrow(
  db: Db,
  params: { key: string; language: string; versionId: string },
): Promise<PromptVersion> {
  const version = z.uuid().safeParse(params.versionId).success
    ? await getPromptVersionById(db, { id: params.versionId })
    : undefined;
  if (!version || version.promptKey !== params.key || version.language !== params.language) {
    throw notFound("prompt_version", `Version ${params.versionId} of prompt ${params.key} (${params.language})`);
  }
  return version;
}

/** Publish after the gates pass, in one transaction with the note; a blocked publish is a 422 listing why. */
export async function publishWithGates(
  db: Db,
  params: { actor: Actor; key: string; language: string; request: PublishRequest; modelInfo: ModelInfo },
): Promise<PublicationResult> {
  const { actor, key, language, request } = params;
  return db.transaction(async (tx) => {
    const prompt = await getPromptOrThrow(tx, key);
    const version = await getVersionOrThrow(tx, { key, language, versionId: request.versionId });
    // A publish based on a stale live version gets the store's 409 first: the gates of a decision
    // made on old information do not matter.
    const live = await getPromptPublication(tx, { key, language });
    const stale = (live?.versionId ?? null) !== request.basePublishedVersionId;
    const gates = stale ? undefined : await checkPublishGates(tx, { prompt, version, modelInfo: params.modelInfo });
    if (gates && !gates.allowed) {
      throw new AppError(422, "publish_blocked", describeBlockedPublish(version, gates), { gates });
    }

    const result = await publishPromptVersion(tx, {
      key,
      language,
      actorId: actor.userId,
      versionId: version.id,
      basePublishedVersionId: request.basePublishedVersionId,
    });
    if (result.changed && request.note) {
      await insertPublicationNote(tx, {
        actorId: actor.userId,
        key,
        language,
        action: "publish",
        versionId: version.id,
        note: request.note,
      });
    }
    return result;
  });
}

/**
 * Publish an older version again, with the reason recorded beside the prompt store's audit entry.
 * Only a version that was live in this language before may come back this way, because a rollback
 * skips the publish gates. Any other version is a 400 naming `versionId`.
 */
export async function rollbackWithNote(
  db: Db,
  params: { actor: Actor; key: string; language: string; request: z.infer<typeof rollbackRequestSchema> },
): Promise<PublicationResult> {
  const { actor, key, language, request } = params;
  return db.transaction(async (tx) => {
    const version = await getVersionOrThrow(tx, { key, language, versionId: request.versionId });
    // As for a publish, a rollback based on a stale live version gets the store's 409 first, and
    // rolling back to the live version is left to the store, which changes nothing.
    const live = await getPromptPublication(tx, { key, language });
    const stale = (live?.versionId ?? null) !== request.basePublishedVersionId;
    if (!stale && live?.versionId !== version.id) {
      const published = await listPublishedVersionIds(tx, { key, language });
      if (!published.has(version.id)) throw neverPublished(key, version);
    }

    const result = await rollbackPrompt(tx, {
      key,
      language,
      actorId: actor.userId,
      versionId: request.versionId,
      basePublishedVersionId: request.basePublishedVersionId,
    });
    if (result.changed) {
      await insertPublicationNote(tx, {
        actorId: actor.userId,
        key,
        language,
        action: "rollback",
        versionId: request.versionId,
        note: request.note,
      });
    }
    return result;
  });
}

/**
 * Ids of the versions that were ever made live in one language, by a publish or a rollback, read
 * from the prompt store's audit log, which records every move of the live pointer.
 */
export async function listPublishedVersionIds(db: Db, params: { key: string; language: string }): Promise<Set<string>> {
  const entries = await listPromptAuditEntries(db, params);
  const ids = new Set<string>();
  for (const entry of entries) {
    if (entry.action !== "prompt.publish" && entry.action !== "prompt.rollback") continue;
    const after = entry.after as { id?: unknown } | null;
    if (typeof after?.id === "string") ids.add(after.id);
  }
  return ids;
}

function neverPublished(key: string, version: PromptVersion): AppError {
  return badRequest(
    `Version ${version.versionNumber} of prompt ${key} (${version.language}) was never published in this language, so it cannot be rolled back to. Publish it instead, which checks its preview and, when the prompt requires passing test cases, its test results.`,
    {
      field: "versionId",
      reason: "prompt_rollback_never_published",
      params: { key, language: version.language, versionNumber: version.versionNumber },
    },
  );
}

function describeBlockedPublish(version: PromptVersion, gates: PublishGates): string {
  const reasons: string[] = [];
  if (gates.preview.unresolved.length > 0) {
    const placeholders = gates.preview.unresolved.map((entry) => entry.source).join(", ");
    reasons.push(`the preview has unresolved placeholders (${placeholders})`);
  }
  if (gates.preview.issues.length > 0) reasons.push(gates.preview.issues.map((issue) => issue.message).join(" "));
  if (gates.tests.required && !gates.tests.passed) {
    const failing = gates.tests.cases.filter((entry) => entry.verdict !== "passed");
    reasons.push(
      `these test cases have not passed on version ${version.versionNumber}: ${failing.map((entry) => `${entry.name} (${entry.verdict ?? "not run"})`).join(", ")}`,
    );
  }
  return `Version ${version.versionNumber} cannot be published yet: ${reasons.join("; ")}.`;
}

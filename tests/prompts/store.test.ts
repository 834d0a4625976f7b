import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { getPromptDraft, listPromptAuditEntries, listPromptVersions } from "@/db/queries/prompts";
import { AppError } from "@/lib/errors";
import { publishPromptVersion, rollbackPrompt, savePromptDraft, savePromptVersion } from "@/lib/prompts/store";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { contentOf, createTestPrompt, createTestUser, latestVersionIdOf, publishedVersionIdOf } from "./support";

async function catchAppError(action: Promise<unknown>): Promise<AppError> {
  try {
    await action;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describeEachEngine("prompt store", (engine) => {
  let handle: DatabaseHandle;
  let editorId: string;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    editorId = await createTestUser(handle.db);
  });

  afterAll(async () => {
    await handle.close();
  });

  describe("savePromptVersion", () => {
    it("creates the next version with an audit entry", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: true });
      const content = contentOf(prompt, "fr");
      const base = await latestVersionIdOf(handle.db, prompt.key, "fr");

      const { version, created } = await savePromptVersion(handle.db, {
        key: prompt.key,
        language: "fr",
        ...content,
        systemText: `${content.systemText}\nSois bref.`,
        baseVersionId: base,
        note: "shorter answers",
        actorId: editorId,
      });
      const audit = await listPromptAuditEntries(handle.db, { key: prompt.key, language: "fr" });
      const saves = audit.filter((entry) => entry.action === "prompt.version.save");

      expect(created).toBe(true);
      expect(version.versionNumber).toBe(2);
      expect(version.authorId).toBe(editorId);
      expect(saves).toHaveLength(2);
      expect(saves.at(-1)?.actorId).toBe(editorId);
      expect(saves.at(-1)?.after).toMatchObject({ id: version.id, versionNumber: 2, note: "shorter answers" });
      expect(saves.at(-1)?.before).toMatchObject({ id: base, versionNumber: 1 });
    });

    it("returns the latest version when nothing changed", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: true });
      const base = await latestVersionIdOf(handle.db, prompt.key, "en");
      const auditBefore = await listPromptAuditEntries(handle.db, { key: prompt.key });

      const { version, created } = await savePromptVersion(handle.db, {
        key: prompt.key,
        language: "en",
        ...contentOf(prompt, "en"),
        baseVersionId: base,
        actorId: editorId,
      });

      expect(created).toBe(false);
      expect(version.id).toBe(base);
      expect(await listPromptAuditEntries(handle.db, { key: prompt.key })).toHaveLength(auditBefore.length);
    });

    it("rejects a stale base with 409 and both versions", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: true });
      const content = contentOf(prompt, "en");
      const base = await latestVersionIdOf(handle.db, prompt.key, "en");
      const first = await savePromptVersion(handle.db, {
        key: prompt.key,
        language: "en",
        ...content,
        userTemplate: `${content.userTemplate}\nFirst edit.`,
        baseVersionId: base,
        actorId: editorId,
      });

      const error = await catchAppError(
        savePromptVersion(handle.db, {
          key: prompt.key,
          language: "en",
          ...content,
          userTemplate: `${content.userTemplate}\nSecond edit.`,
          baseVersionId: base,
          actorId: editorId,
        }),
      );
      const versions = await listPromptVersions(handle.db, { key: prompt.key, language: "en" });

      expect(error.status).toBe(409);
      expect(error.details?.baseVersion).toMatchObject({ id: base, versionNumber: 1 });
      expect(error.details?.currentVersion).toMatchObject({ id: first.version.id, versionNumber: 2 });
      expect(versions.map((version) => version.versionNumber)).toEqual([2, 1]);
    });

    it("lets exactly one of two concurrent saves win", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: true });
      const content = contentOf(prompt, "en");
      const base = await latestVersionIdOf(handle.db, prompt.key, "en");
      const save = (suffix: string) =>
        savePromptVersion(handle.db, {
          key: prompt.key,
          language: "en",
          ...content,
          userTemplate: `${content.userTemplate}\n${suffix}`,
          baseVersionId: base,
          actorId: editorId,
        });

      const results = await Promise.allSettled([save("A"), save("B")]);
      const rejected = results.filter((result) => result.status === "rejected");

      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ status: 409 });
    });

    it("rejects a French template that forgets a variable", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: true });
      const content = contentOf(prompt, "fr");

      const error = await catchAppError(
        savePromptVersion(handle.db, {
          key: prompt.key,
          language: "fr",
          ...content,
          userTemplate: content.userTemplate.replace("$existing_items", "[]"),
          baseVersionId: await latestVersionIdOf(handle.db, prompt.key, "fr"),
          actorId: editorId,
        }),
      );

      expect(error.status).toBe(400);
      expect(error.message).toContain("$existing_items");
      expect(error.details?.issues).toEqual([expect.objectContaining({ code: "unused_variable" })]);
    });

    it("rejects an undeclared variable", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: true });
      const content = contentOf(prompt, "en");

      const error = await catchAppError(
        savePromptVersion(handle.db, {
          key: prompt.key,
          language: "en",
          ...content,
          systemText: `${content.systemText}\nTone: $tone`,
          baseVersionId: await latestVersionIdOf(handle.db, prompt.key, "en"),
          actorId: editorId,
        }),
      );

      expect(error.status).toBe(400);
      expect(error.message).toContain("$tone");
    });

    it("rejects an invalid placeholder with line and column", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: true });
      const content = contentOf(prompt, "en");

      const error = await catchAppError(
        savePromptVersion(handle.db, {
          key: prompt.key,
          language: "en",
          ...content,
          userTemplate: `Budget: $ 5\n${content.userTemplate}`,
          baseVersionId: await latestVersionIdOf(handle.db, prompt.key, "en"),
          actorId: editorId,
        }),
      );

      expect(error.status).toBe(400);
      expect(error.details?.issues).toEqual([expect.objectContaining({ line: 1, column: 9 })]);
    });

    it("rejects an empty system prompt", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: true });

      const error = await catchAppError(
        savePromptVersion(handle.db, {
          key: prompt.key,
          language: "en",
          ...contentOf(prompt, "en"),
          systemText: " ",
          baseVersionId: await latestVersionIdOf(handle.db, prompt.key, "en"),
          actorId: editorId,
        }),
      );

      expect(error.status).toBe(400);
      expect(error.details?.field).toBe("systemText");
    });

    it("answers 404 for an unknown prompt", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: false });

      const error = await catchAppError(
        savePromptVersion(handle.db, {
          ...contentOf(prompt, "en"),
          key: "no_such_prompt",
          language: "en",
          baseVersionId: null,
          actorId: editorId,
        }),
      );

      expect(error.status).toBe(404);
    });
  });

  describe("publishPromptVersion", () => {
    it("lets one of two publishes from the same base win", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: false });
      const content = contentOf(prompt, "en");
      const first = await latestVersionIdOf(handle.db, prompt.key, "en");
      const second = await savePromptVersion(handle.db, {
        key: prompt.key,
        language: "en",
        ...content,
        userTemplate: `${content.userTemplate}\nSecond version.`,
        baseVersionId: first,
        actorId: editorId,
      });
      const publish = (versionId: string) =>
        publishPromptVersion(handle.db, {
          key: prompt.key,
          language: "en",
          versionId,
          basePublishedVersionId: null,
          actorId: editorId,
        });

      const results = await Promise.allSettled([publish(first ?? ""), publish(second.version.id)]);
      const audit = await listPromptAuditEntries(handle.db, { key: prompt.key, language: "en" });
      const rejected = results.filter((result) => result.status === "rejected");
      const conflictError = (rejected[0] as PromiseRejectedResult | undefined)?.reason as AppError | undefined;

      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(conflictError?.status).toBe(409);
      expect(conflictError?.details?.basePublishedVersion).toBeNull();
      expect(conflictError?.details?.currentPublishedVersion).toMatchObject({
        id: await publishedVersionIdOf(handle.db, prompt.key, "en"),
      });
      expect(audit.filter((entry) => entry.action === "prompt.publish")).toHaveLength(1);
    });

    it("moves the publication and records before and after", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: true });
      const content = contentOf(prompt, "en");
      const live = await publishedVersionIdOf(handle.db, prompt.key, "en");
      const saved = await savePromptVersion(handle.db, {
        key: prompt.key,
        language: "en",
        ...content,
        userTemplate: `${content.userTemplate}\nNew.`,
        baseVersionId: live,
        actorId: editorId,
      });

      const result = await publishPromptVersion(handle.db, {
        key: prompt.key,
        language: "en",
        versionId: saved.version.id,
        basePublishedVersionId: live,
        actorId: editorId,
      });
      const [entry] = (await listPromptAuditEntries(handle.db, { key: prompt.key, language: "en" })).filter(
        (row) => row.action === "prompt.publish" && row.actorId === editorId,
      );

      expect(result.changed).toBe(true);
      expect(await publishedVersionIdOf(handle.db, prompt.key, "en")).toBe(saved.version.id);
      expect(entry?.before).toMatchObject({ id: live });
      expect(entry?.after).toMatchObject({ id: saved.version.id });
    });

    it("answers 404 for another language's version", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: true });

      const error = await catchAppError(
        publishPromptVersion(handle.db, {
          key: prompt.key,
          language: "en",
          versionId: (await latestVersionIdOf(handle.db, prompt.key, "fr")) ?? "",
          basePublishedVersionId: await publishedVersionIdOf(handle.db, prompt.key, "en"),
          actorId: editorId,
        }),
      );

      expect(error.status).toBe(404);
    });
  });

  describe("rollbackPrompt", () => {
    async function promptWithTwoPublishedVersions() {
      const prompt = await createTestPrompt(handle.db, { publish: true });
      const content = contentOf(prompt, "en");
      const first = (await publishedVersionIdOf(handle.db, prompt.key, "en")) ?? "";
      const second = await savePromptVersion(handle.db, {
        key: prompt.key,
        language: "en",
        ...content,
        userTemplate: `${content.userTemplate}\nRevised.`,
        baseVersionId: first,
        actorId: editorId,
      });
      await publishPromptVersion(handle.db, {
        key: prompt.key,
        language: "en",
        versionId: second.version.id,
        basePublishedVersionId: first,
        actorId: editorId,
      });
      return { prompt, first, second: second.version.id };
    }

    it("publishes the older version with a rollback entry", async () => {
      const { prompt, first, second } = await promptWithTwoPublishedVersions();

      await rollbackPrompt(handle.db, {
        key: prompt.key,
        language: "en",
        versionId: first,
        basePublishedVersionId: second,
        actorId: editorId,
      });
      const rollbacks = (await listPromptAuditEntries(handle.db, { key: prompt.key, language: "en" })).filter(
        (entry) => entry.action === "prompt.rollback",
      );

      expect(await publishedVersionIdOf(handle.db, prompt.key, "en")).toBe(first);
      expect(rollbacks).toHaveLength(1);
      expect(rollbacks[0]?.before).toMatchObject({ id: second });
      expect(rollbacks[0]?.after).toMatchObject({ id: first });
    });

    it("rejects a stale base with 409", async () => {
      const { prompt, first } = await promptWithTwoPublishedVersions();

      const error = await catchAppError(
        rollbackPrompt(handle.db, {
          key: prompt.key,
          language: "en",
          versionId: first,
          basePublishedVersionId: first,
          actorId: editorId,
        }),
      );

      expect(error.status).toBe(409);
      expect(await publishedVersionIdOf(handle.db, prompt.key, "en")).not.toBe(first);
    });

    it("rejects a version newer than the live one", async () => {
      const { prompt, first, second } = await promptWithTwoPublishedVersions();
      await rollbackPrompt(handle.db, {
        key: prompt.key,
        language: "en",
        versionId: first,
        basePublishedVersionId: second,
        actorId: editorId,
      });

      const error = await catchAppError(
        rollbackPrompt(handle.db, {
          key: prompt.key,
          language: "en",
          versionId: second,
          basePublishedVersionId: first,
          actorId: editorId,
        }),
      );

      expect(error.status).toBe(400);
    });
  });

  describe("savePromptDraft", () => {
    it("saves without a version and reports text issues", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: true });
      const content = contentOf(prompt, "fr");
      const base = await latestVersionIdOf(handle.db, prompt.key, "fr");

      const { draft, issues } = await savePromptDraft(handle.db, {
        key: prompt.key,
        language: "fr",
        ...content,
        userTemplate: "Brouillon sans variables",
        baseVersionId: base,
        baseDraftRevision: null,
        actorId: editorId,
      });
      const versions = await listPromptVersions(handle.db, { key: prompt.key, language: "fr" });
      const drafts = (await listPromptAuditEntries(handle.db, { key: prompt.key, language: "fr" })).filter(
        (entry) => entry.action === "prompt.draft.save",
      );

      expect(draft.revision).toBe(1);
      expect(versions).toHaveLength(1);
      expect(issues.map((issue) => issue.variable)).toEqual(["theme", "feedback", "existing_items"]);
      expect(drafts).toHaveLength(1);
      expect(drafts[0]?.after).toMatchObject({ revision: 1, userTemplate: "Brouillon sans variables" });
    });

    it("rejects a stale draft revision with 409", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: true });
      const base = await latestVersionIdOf(handle.db, prompt.key, "en");
      const draftInput = {
        key: prompt.key,
        language: "en",
        ...contentOf(prompt, "en"),
        baseVersionId: base,
        actorId: editorId,
      };
      await savePromptDraft(handle.db, { ...draftInput, baseDraftRevision: null });
      await savePromptDraft(handle.db, { ...draftInput, baseDraftRevision: 1 });

      const error = await catchAppError(savePromptDraft(handle.db, { ...draftInput, baseDraftRevision: 1 }));

      expect(error.status).toBe(409);
      expect(error.details?.currentDraft).toMatchObject({ revision: 2 });
    });

    it("is removed when a version is saved", async () => {
      const prompt = await createTestPrompt(handle.db, { publish: true });
      const content = contentOf(prompt, "en");
      const base = await latestVersionIdOf(handle.db, prompt.key, "en");
      const edited = { ...content, userTemplate: `${content.userTemplate}\nDraft line.` };
      await savePromptDraft(handle.db, {
        key: prompt.key,
        language: "en",
        ...edited,
        baseVersionId: base,
        baseDraftRevision: null,
        actorId: editorId,
      });

      await savePromptVersion(handle.db, {
        key: prompt.key,
        language: "en",
        ...edited,
        baseVersionId: base,
        actorId: editorId,
      });

      expect(await getPromptDraft(handle.db, { key: prompt.key, language: "en" })).toBeUndefined();
    });
  });
});

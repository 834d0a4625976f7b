import { z } from "zod";
import type { Db } from "@/db/client";
import {
  archiveTestCase,
  getTestCaseById,
  insertTestCase,
  type TestCaseFields,
  updateTestCase,
  upsertTestPolicy,
} from "@/db/queries/prompt-tests";
import { getPromptByKey } from "@/db/queries/prompts";
import type { Prompt, PromptTestCase } from "@/db/schema";
import { badRequest, notFound } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { languageSchema } from "@/lib/prompts/manifest";
import { assertionSchema } from "./assertions";
import { seedTestCases } from "./seed-cases";

export const testCaseInputSchema = z.object({
  name: z.string().trim().min(1, "give the case a name").max(120),
  language: languageSchema,
  variables: z.record(z.string(), z.json()).default({}),
  assertions: z.array(assertionSchema).min(1, "add at least one assertion").max(30),
});
export type TestCaseInput = z.input<typeof testCaseInputSchema>;

/** Check a case against its prompt: only declared variables, and no JSON checks on a free-text prompt. */
export function checkTestCase(prompt: Prompt, input: TestCaseFields): TestCaseFields {
  const declared = new Set(prompt.variables.map((variable) => variable.name));
  const unknown = Object.keys(input.variables).filter((name) => !declared.has(name));
  if (unknown.length > 0) {
    throw badRequest(
      `${unknown.map((name) => `$${name}`).join(", ")} ${unknown.length === 1 ? "is not a variable" : "are not variables"} of prompt ${prompt.key}; declared: ${[...declared].map((name) => `$${name}`).join(", ")}.`,
      { field: "variables" },
    );
  }
  if (!prompt.outputSchema) {
    const jsonOnly = input.assertions.findIndex(
      (assertion) => assertion.kind === "parses" || assertion.kind === "matches_schema",
    );
    if (jsonOnly !== -1) {
      throw badRequest(
        `Prompt ${prompt.key} answers in free text, so its cases cannot check JSON parsing or a schema.`,
        {
          field: `assertions[${jsonOnly}]`,
        },
      );
    }
  }
  return { name: input.name, language: input.language, variables: input.variables, assertions: input.assertions };
}

export async function getActiveTestCaseOrThrow(
  db: Db,
  params: { promptKey: string; caseId: string },
): Promise<PromptTestCase> {
  const found = z.uuid().safeParse(params.caseId).success
    ? await getTestCaseById(db, { id: params.caseId })
    : undefined;
  if (!found || found.promptKey !== params.promptKey || found.archivedAt) throw notFound("test_case");
  return found;
}

export async function createTestCase(
  db: Db,
  params: { prompt: Prompt; input: z.infer<typeof testCaseInputSchema>; actorId: string },
): Promise<PromptTestCase> {
  const fields = checkTestCase(params.prompt, params.input);
  const row = await insertTestCase(db, { ...fields, promptKey: params.prompt.key, createdBy: params.actorId });
  if (!row) throw new Error("insert into prompt_test_case returned no row");
  return row;
}

export async function changeTestCase(
  db: Db,
  params: { prompt: Prompt; caseId: string; input: z.infer<typeof testCaseInputSchema>; actorId: string },
): Promise<PromptTestCase> {
  await getActiveTestCaseOrThrow(db, { promptKey: params.prompt.key, caseId: params.caseId });
  const fields = checkTestCase(params.prompt, params.input);
  const row = await updateTestCase(db, { ...fields, id: params.caseId, updatedBy: params.actorId });
  if (!row) throw notFound("test_case");
  return row;
}

export async function removeTestCase(
  db: Db,
  params: { promptKey: string; caseId: string; actorId: string },
): Promise<void> {
  await getActiveTestCaseOrThrow(db, params);
  await archiveTestCase(db, { id: params.caseId, updatedBy: params.actorId });
}

/** Prompts whose publish gate is on until an editor turns it off; others start with it off. */
const GATED_BY_DEFAULT = ["prioritizer"];

/**
 * Seed the shipped prompts' test cases and default gates, for prompts that exist. Idempotent: a
 * case is created once per seed key (and never again after an editor deletes it), and a gate an
 * editor set is kept.
 */
export async function seedPromptTests(db: Db): Promise<{ created: number }> {
  let created = 0;
  for (const seed of seedTestCases) {
    const prompt = await getPromptByKey(db, { key: seed.promptKey });
    if (!prompt) continue;
    const { seedKey, promptKey, ...input } = seed;
    const row = await insertTestCase(db, { ...checkTestCase(prompt, input), promptKey, seedKey, createdBy: null });
    if (row) created++;
  }
  for (const promptKey of GATED_BY_DEFAULT) {
    if (await getPromptByKey(db, { key: promptKey })) {
      await upsertTestPolicy(db, { promptKey, requirePassingTests: true, updatedBy: null, onlyIfAbsent: true });
    }
  }
  if (created > 0) logger.info({ created }, "seeded prompt test cases");
  return { created };
}

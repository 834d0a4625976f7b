import type { Db } from "@/db/client";
import { getPromptByKey } from "@/db/queries/prompts";
import type { Prompt } from "@/db/schema";
import { type Actor, requireActor, requireCapability } from "@/lib/auth/actor";
import type { Capability } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { languageSchema, promptKeySchema } from "@/lib/prompts/manifest";

/** Capabilities that may guard a prompt admin route. `read` is left out, so no route opens prompts to viewers. */
type PromptAdminCapability = Extract<Capability, "readPrompts" | "editPrompts" | "manageModels" | "manageUsers">;

/**
 * Access rules of the prompt admin: editors and admins read (`readPrompts`) and write
 * (`editPrompts`), and admins alone read the audit log and run fine-tuning jobs. Chat and runs
 * render published prompts without these checks, so they work for every role.
 */
export async function requirePromptAccess(request: Request, capability: PromptAdminCapability): Promise<Actor> {
  const actor = await requireActor(request);
  requireCapability(actor, capability);
  return actor;
}

/** Check the prompt key of a URL; a malformed key is a 404 like an unknown one. */
export function parsePromptKey(key: string): string {
  if (!promptKeySchema.safeParse(key).success) throw notFound("prompt", `Prompt ${key}`);
  return key;
}

/** Normalize the language of a URL to lower case; a malformed tag is a 404. */
export function parseLanguage(language: string): string {
  const normalized = language.toLowerCase();
  if (!languageSchema.safeParse(normalized).success) throw notFound("language", `Language ${language}`);
  return normalized;
}

/**
 * Load the prompt and normalize the language named by a URL. An unknown or malformed key, or a
 * malformed language, is a 404. Routes call it before they validate the body, so that a wrong URL
 * is reported as not found rather than as invalid input.
 */
export async function requirePromptLanguage(
  db: Db,
  params: { key: string; language: string },
): Promise<{ prompt: Prompt; language: string }> {
  const key = parsePromptKey(params.key);
  const prompt = await getPromptByKey(db, { key });
  if (!prompt) throw notFound("prompt", `Prompt ${key}`);
  return { prompt, language: parseLanguage(params.language) };
}

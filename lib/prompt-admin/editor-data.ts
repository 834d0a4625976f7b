import type { Db } from "@/db/client";
import { getTestPolicy, listDraftSummaries, listTestCases } from "@/db/queries/prompt-tests";
import { getPromptByKey, listPromptVersions } from "@/db/queries/prompts";
import type { Prompt } from "@/db/schema";
import { promptKeySchema } from "@/lib/prompts/manifest";
import { getLanguageState, type LanguageState } from "./history";

/** Everything the editor page loads for a prompt; undefined when the key is unknown or malformed. */
export async function loadEditorData(db: Db, key: string) {
  if (!promptKeySchema.safeParse(key).success) return undefined;
  const prompt: Prompt | undefined = await getPromptByKey(db, { key });
  if (!prompt) return undefined;

  const [versions, drafts] = await Promise.all([listPromptVersions(db, { key }), listDraftSummaries(db)]);
  // A language exists once it has a version or a draft (a new language starts as a draft).
  const languages = [
    ...new Set([
      ...versions.map((version) => version.language),
      ...drafts.filter((draft) => draft.promptKey === key).map((draft) => draft.language),
    ]),
  ].sort();
  const [states, cases, policy] = await Promise.all([
    Promise.all(languages.map((language) => getLanguageState(db, { key, language }))),
    listTestCases(db, { promptKey: key }),
    getTestPolicy(db, { promptKey: key }),
  ]);
  return { prompt, languages: states, cases, gateOn: policy?.requirePassingTests ?? false };
}

/** Pick the two languages shown side by side: the requested ones if the prompt has them, else English and French. */
export function pickLanguagePair(
  states: LanguageState[],
  requested: { left?: string; right?: string },
): [string, string] {
  const available = states.map((state) => state.language);
  const choose = (wanted: string | undefined, fallbacks: string[]) =>
    [wanted, ...fallbacks].find((language): language is string => Boolean(language && available.includes(language))) ??
    available[0] ??
    "en";
  const left = choose(requested.left, ["en", ...available]);
  const right = choose(requested.right, ["fr", ...available.filter((language) => language !== left)]);
  return [left, right];
}

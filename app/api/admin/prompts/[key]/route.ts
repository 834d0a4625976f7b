import { getDb } from "@/db";
import { getTestPolicy, listTestCases } from "@/db/queries/prompt-tests";
import { listPromptVersions } from "@/db/queries/prompts";
import { apiRoute } from "@/lib/http/route";
import { parsePromptKey, requirePromptAccess } from "@/lib/prompt-admin/access";
import { getLanguageState } from "@/lib/prompt-admin/history";
import { getPromptOrThrow } from "@/lib/prompt-admin/publishing";

export const dynamic = "force-dynamic";

/** A prompt with its declared variables, the state of each language, its test cases and its publish gate. */
export const GET = apiRoute<{ key: string }>(async ({ request, params }) => {
  await requirePromptAccess(request, "read");
  const db = await getDb();
  const prompt = await getPromptOrThrow(db, parsePromptKey(params.key));

  const versions = await listPromptVersions(db, { key: prompt.key });
  const languages = [...new Set(versions.map((version) => version.language))].sort();
  const [states, cases, policy] = await Promise.all([
    Promise.all(languages.map((language) => getLanguageState(db, { key: prompt.key, language }))),
    listTestCases(db, { promptKey: prompt.key }),
    getTestPolicy(db, { promptKey: prompt.key }),
  ]);

  return Response.json({ prompt, languages: states, cases, gateOn: policy?.requirePassingTests ?? false });
});

import type { Db } from "@/db/client";
import {
  listDraftSummaries,
  listLatestTestSummaries,
  listLatestVersionSummaries,
  listTestPolicies,
} from "@/db/queries/prompt-tests";
import { listPrompts, listPublishedPromptVersions } from "@/db/queries/prompts";
import type { Prompt } from "@/db/schema";
import { FALLBACK_LANGUAGE } from "@/lib/prompts/manifest";

/** One language of a prompt as the prompt list shows it. */
export interface LanguageOverview {
  language: string;
  published: { versionNumber: number; publishedAt: Date } | null;
  latestVersion: { versionNumber: number; createdAt: Date; authorName: string | null } | null;
  draft: { updatedAt: Date; updatedByName: string | null } | null;
  /** Author of the newest version or draft, and when it was saved. */
  lastEdit: { name: string | null; at: Date } | null;
  lastTest: { passed: number; total: number; versionNumber: number | null; ranAt: Date } | null;
  /**
   * Set when the reference language (English, which every prompt has) got a version after this
   * language last changed, so its text may be out of step.
   */
  drift: { referenceLanguage: string; referenceVersion: number } | null;
}

export interface PromptOverview {
  prompt: Prompt;
  gateOn: boolean;
  languages: LanguageOverview[];
}

export async function listPromptOverviews(db: Db): Promise<PromptOverview[]> {
  const [prompts, published, latest, drafts, tests, policies] = await Promise.all([
    listPrompts(db),
    listPublishedPromptVersions(db),
    listLatestVersionSummaries(db),
    listDraftSummaries(db),
    listLatestTestSummaries(db),
    listTestPolicies(db),
  ]);

  return prompts.map((prompt) => {
    const languages = [
      ...new Set([
        ...latest.filter((row) => row.promptKey === prompt.key).map((row) => row.language),
        ...drafts.filter((row) => row.promptKey === prompt.key).map((row) => row.language),
      ]),
    ].sort(compareLanguages);

    const overviews = languages.map((language) => {
      const match = <Row extends { promptKey: string; language: string }>(rows: Row[]) =>
        rows.find((row) => row.promptKey === prompt.key && row.language === language);
      const live = published.find((row) => row.prompt.key === prompt.key && row.version.language === language);
      const version = match(latest);
      const draft = match(drafts);
      const test = match(tests);
      return {
        language,
        published: live
          ? { versionNumber: live.version.versionNumber, publishedAt: live.publication.publishedAt }
          : null,
        latestVersion: version
          ? { versionNumber: version.versionNumber, createdAt: version.createdAt, authorName: version.authorName }
          : null,
        draft: draft ? { updatedAt: draft.updatedAt, updatedByName: draft.updatedByName } : null,
        lastEdit: lastEditOf(version, draft),
        lastTest: test
          ? { passed: test.passed, total: test.total, versionNumber: test.versionNumber, ranAt: test.ranAt }
          : null,
        drift: null,
      } satisfies LanguageOverview as LanguageOverview;
    });
    markDrift(overviews);

    return {
      prompt,
      gateOn: policies.find((policy) => policy.promptKey === prompt.key)?.requirePassingTests ?? false,
      languages: overviews,
    };
  });
}

/** Order languages with the reference language (English) first, then alphabetically. */
function compareLanguages(left: string, right: string): number {
  if (left === FALLBACK_LANGUAGE) return -1;
  if (right === FALLBACK_LANGUAGE) return 1;
  return left.localeCompare(right);
}

function lastEditOf(
  version: { createdAt: Date; authorName: string | null } | undefined,
  draft: { updatedAt: Date; updatedByName: string | null } | undefined,
): LanguageOverview["lastEdit"] {
  const versionEdit = version ? { name: version.authorName, at: new Date(version.createdAt) } : null;
  const draftEdit = draft ? { name: draft.updatedByName, at: new Date(draft.updatedAt) } : null;
  if (!versionEdit) return draftEdit;
  if (!draftEdit) return versionEdit;
  return draftEdit.at > versionEdit.at ? draftEdit : versionEdit;
}

/** Flag each language whose newest version is older than the reference language's newest version. */
export function markDrift(languages: LanguageOverview[]): void {
  const reference = languages.find((entry) => entry.language === FALLBACK_LANGUAGE)?.latestVersion;
  if (!reference) return;
  for (const entry of languages) {
    if (entry.language === FALLBACK_LANGUAGE) continue;
    const own = entry.latestVersion;
    if (!own || new Date(own.createdAt) < new Date(reference.createdAt)) {
      entry.drift = { referenceLanguage: FALLBACK_LANGUAGE, referenceVersion: reference.versionNumber };
    }
  }
}

import type { UserRole } from "@/db/schema";
import { hasCapability } from "@/lib/auth/roles";

/** Prefix of the run kinds of prompt test runs, which are named `prompt_test.<output schema>`. */
export const PROMPT_TEST_KIND_PREFIX = "prompt_test.";

export function isPromptTestKind(kind: string): boolean {
  return kind.startsWith(PROMPT_TEST_KIND_PREFIX);
}

/**
 * Tell whether a role may see runs of the kind outside the prompt admin, such as in the runs API
 * and the runs pages. Prompt test runs store unpublished drafts and versions in their input and
 * model calls, so only the roles that may read the prompt admin (`readPrompts`) see them.
 */
export function mayReadRunKind(role: UserRole, kind: string): boolean {
  return !isPromptTestKind(kind) || hasCapability(role, "readPrompts");
}

/** Prefixes of the run kinds that a role may not see, for run lists to leave out. */
export function hiddenRunKindPrefixes(role: UserRole): string[] {
  return hasCapability(role, "readPrompts") ? [] : [PROMPT_TEST_KIND_PREFIX];
}

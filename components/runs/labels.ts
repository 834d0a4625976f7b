/** Translation keys under `runs.kinds` for each run kind; prompt test runs share one label. */
const kindKeys: Record<string, string> = {
  prioritization: "prioritization",
  feedback_summary: "feedback_summary",
  item_suggestions: "item_suggestions",
};

/** Return the `runs.kinds` key of a run kind, or undefined for a kind without a label (shown as is). */
export function runKindKey(kind: string): string | undefined {
  if (kind.startsWith("prompt_test.")) return "prompt_test";
  return kindKeys[kind];
}

/** Name a language code (`fr`) in the UI's language (`français`, `French`); an unknown code is returned as is. */
export function languageLabel(code: string, uiLocale: string): string {
  try {
    return new Intl.DisplayNames([uiLocale], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

import type { Framework, RunStatus } from "@/db/schema";

/** Characters of a run id shown in a label when no other listed run id starts with them. */
const SHORT_ID_LENGTH = 8;

/** Date and time of a run to the second, because runs started in the same minute must read differently. */
export const RUN_TIME_FORMAT = { dateStyle: "medium", timeStyle: "medium" } as const;

/** ICU values of a run's label in the catalogs: `{date}`, `{framework}`, `{language}`, `{status}` and `{shortId}`. */
export interface RunLabelValues {
  date: string;
  /** Framework name such as `RICE`. */
  framework: string;
  /** Language of the rationales, named in the UI language. */
  language: string;
  status: string;
  /** Leading characters of the run id, the same as in the run's URL. */
  shortId: string;
}

/**
 * Return, for each id, its shortest prefix of at least `SHORT_ID_LENGTH` characters that no other
 * listed id starts with, so every listed run keeps a distinct short id.
 */
export function shortenRunIds(ids: readonly string[]): Map<string, string> {
  const shortIds = new Map<string, string>();
  for (const id of ids) {
    let length = SHORT_ID_LENGTH;
    for (const other of ids) {
      if (other === id) continue;
      length = Math.max(length, commonPrefixLength(id, other) + 1);
    }
    shortIds.set(id, id.slice(0, length));
  }
  return shortIds;
}

function commonPrefixLength(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
}

/**
 * Build the label values of each listed run, keyed by run id: its start time to the second, its
 * framework, its rationale language, its localized status and a short id that differs from every
 * other listed run's.
 */
export function describeRuns(
  runs: ReadonlyArray<{ id: string; createdAt: string; status: RunStatus; framework: Framework; language: string }>,
  labels: {
    formatDateTime: (value: Date, options: typeof RUN_TIME_FORMAT) => string;
    statusLabel: (status: RunStatus) => string;
    frameworkLabel: (framework: Framework) => string;
    languageLabel: (language: string) => string;
  },
): Map<string, RunLabelValues> {
  const shortIds = shortenRunIds(runs.map((run) => run.id));
  const described = new Map<string, RunLabelValues>();
  for (const run of runs) {
    described.set(run.id, {
      date: labels.formatDateTime(new Date(run.createdAt), RUN_TIME_FORMAT),
      framework: labels.frameworkLabel(run.framework),
      language: labels.languageLabel(run.language),
      status: labels.statusLabel(run.status),
      shortId: shortIds.get(run.id) ?? run.id,
    });
  }
  return described;
}

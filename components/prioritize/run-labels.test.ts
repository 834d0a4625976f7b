import { createFormatter, createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { languageLabel } from "@/components/runs/labels";
import type { Framework, RunStatus } from "@/db/schema";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { describeRuns, shortenRunIds } from "./run-labels";

// next-intl's default message type when the app declares none, which is how `useTranslations` types the catalogs.
// biome-ignore lint/suspicious/noExplicitAny: this is the type next-intl itself uses for undeclared messages.
type UntypedMessages = Record<string, any>;

type ListedRun = { id: string; createdAt: string; status: RunStatus; framework: Framework; language: string };

/** Two runs started 12 seconds apart in the same minute, and one of the day before. */
const newest: ListedRun = {
  id: "5f0c2a9e-1b7d-4c3e-9a51-0d8e7f6a2b14",
  createdAt: "2026-12-05T13:14:41.120Z",
  status: "completed",
  framework: "rice",
  language: "en",
};
const sameMinute: ListedRun = {
  id: "a3d94b07-6e2f-4f18-8c4a-7b1e0c5d9f63",
  createdAt: "2026-12-05T13:14:29.870Z",
  status: "partial",
  framework: "wsjf",
  language: "fr",
};
const dayBefore: ListedRun = {
  id: "c81e7f42-0a9b-4d5c-b3e6-2f4a1d8c7e90",
  createdAt: "2026-12-04T09:02:00.000Z",
  status: "completed",
  framework: "ice",
  language: "en",
};
const runs = [newest, sameMinute, dayBefore];

/** Render the Compare option and the history entry of each run as the Prioritize page does. */
function renderLabels(locale: "en" | "fr", runsToLabel = runs): [RenderedLabel, RenderedLabel, ...RenderedLabel[]] {
  const messages = (locale === "en" ? en : fr) as UntypedMessages;
  const t = createTranslator({ locale, messages, namespace: "prioritize" });
  const format = createFormatter({ locale, timeZone: "UTC" });
  const described = describeRuns(runsToLabel, {
    formatDateTime: (value, options) => format.dateTime(value, options),
    statusLabel: (status) => t(`progress.runStatuses.${status}`),
    frameworkLabel: (framework) => t(`frameworks.${framework}`),
    languageLabel: (language) => languageLabel(language, locale),
  });
  const labels = runsToLabel.map((run) => {
    const values = described.get(run.id);
    if (!values) throw new Error(`no label values for run ${run.id}`);
    return {
      compare: t("changes.modes.compare", { ...values }),
      history: t("history.entry", { ...values, user: "Ada" }),
    };
  });
  const [first, second, ...rest] = labels;
  if (!first || !second) throw new Error("expected at least two runs to label");
  return [first, second, ...rest];
}

interface RenderedLabel {
  compare: string;
  history: string;
}

describe("describeRuns", () => {
  it.each(["en", "fr"] as const)("labels runs of the same minute differently in %s", (locale) => {
    const [first, second] = renderLabels(locale);

    expect(first.compare).not.toBe(second.compare);
    expect(first.history).not.toBe(second.history);
  });

  it("shows seconds, short id and status in English", () => {
    const [first, second] = renderLabels("en");

    expect(first.compare).toContain("1:14:41 PM");
    expect(second.compare).toContain("1:14:29 PM");
    expect(first.compare).toContain("5f0c2a9e");
    expect(second.compare).toContain("a3d94b07");
    expect(first.compare).toContain("Completed");
    expect(second.compare).toContain("Partial");
  });

  it("shows seconds, short id and status in French", () => {
    const [first, second] = renderLabels("fr");

    expect(first.compare).toContain("13:14:41");
    expect(first.compare).toContain("5f0c2a9e");
    expect(first.compare).toContain("Terminée");
    expect(second.history).toContain("Exécution a3d94b07");
    expect(second.history).toContain("par Ada");
  });

  it("labels runs of the same second differently", () => {
    const sameSecond: ListedRun[] = [
      { ...newest, createdAt: "2026-12-05T13:14:41.000Z" },
      { ...sameMinute, createdAt: "2026-12-05T13:14:41.000Z", status: "completed" },
    ];
    const [first, second] = renderLabels("en", sameSecond);

    expect(first.compare).not.toBe(second.compare);
  });
});

describe("describeRuns framework and language", () => {
  it("names framework and language in English", () => {
    const [first, second] = renderLabels("en");

    expect(first.compare).toContain("RICE, English");
    expect(second.compare).toContain("WSJF, French");
    expect(first.history).toContain("RICE, English");
    expect(second.history).toContain("WSJF, French");
  });

  it("names framework and language in French", () => {
    const [first, second] = renderLabels("fr");

    expect(first.compare).toContain("RICE, anglais");
    expect(second.history).toContain("WSJF, français");
  });

  it("tells apart runs that differ only by language", () => {
    const twins: ListedRun[] = [newest, { ...newest, id: sameMinute.id, language: "fr" }];
    const [first, second] = renderLabels("en", twins);

    expect(first.history.replace(/Run \S+/, "")).not.toBe(second.history.replace(/Run \S+/, ""));
  });
});

describe("shortenRunIds", () => {
  it("keeps eight characters of distinct ids", () => {
    const shortIds = shortenRunIds(runs.map((run) => run.id));

    expect([...shortIds.values()]).toEqual(["5f0c2a9e", "a3d94b07", "c81e7f42"]);
  });

  it("lengthens ids that share their first characters", () => {
    const shortIds = shortenRunIds(["5f0c2a9e-1b7d-aaaa", "5f0c2a9e-1b7e-bbbb", "c81e7f42-0a9b-cccc"]);

    expect(shortIds.get("5f0c2a9e-1b7d-aaaa")).toBe("5f0c2a9e-1b7d");
    expect(shortIds.get("5f0c2a9e-1b7e-bbbb")).toBe("5f0c2a9e-1b7e");
    expect(shortIds.get("c81e7f42-0a9b-cccc")).toBe("c81e7f42");
  });
});

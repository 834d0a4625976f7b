"use client";

import { useTranslations } from "next-intl";
import { useNumberFormat } from "@/components/backlog/input-value";
import type { InputChange, RankChange, SnapshotInput } from "@/lib/prioritization/changes";

/**
 * "What changed and why": one line per moved item, such as
 * `#7 → #3: reach 200 → 900 (AI, cites AF012)`, in the UI language. Ranks are positions in the
 * ranking; the item's own id and title lead the line.
 */
export function RankChangeList({ changes, emptyText }: { changes: RankChange[]; emptyText?: string }) {
  const t = useTranslations("prioritize.changes");
  if (changes.length === 0) {
    return emptyText ? <p className="text-sm text-slate-600">{emptyText}</p> : null;
  }
  return (
    <ul className="flex flex-col gap-1.5 text-sm" aria-label={t("label")}>
      {changes.map((change) => (
        <RankChangeLine key={change.itemId} change={change} />
      ))}
    </ul>
  );
}

function RankChangeLine({ change }: { change: RankChange }) {
  const t = useTranslations("prioritize.changes");
  const rank = (value: number | null, side: "before" | "after") => {
    if (value !== null) return `#${value}`;
    if (change.kind === "added" && side === "before") return change.restored ? t("restored") : t("new");
    if (change.kind === "removed" && side === "after") return t("removed");
    return t("needsInput");
  };
  const ref = change.externalId ?? `#${change.number}`;
  return (
    <li data-testid="rank-change" className="rounded-md border border-slate-200 bg-white px-3 py-2">
      <span className="font-medium text-slate-900">
        <span data-testid="rank-change-ref" className="mr-1 font-mono text-xs text-slate-500">
          {ref}
        </span>
        {change.title}
      </span>
      <span className="ml-2 whitespace-nowrap font-semibold text-indigo-800">
        {rank(change.rankBefore, "before")} → {rank(change.rankAfter, "after")}
      </span>
      {change.inputChanges.length > 0 ? (
        <span className="text-slate-700">
          {t("reasonSeparator")}
          {change.inputChanges.map((inputChange, index) => (
            <span key={inputChange.input}>
              {index > 0 ? t("inputSeparator") : ""}
              <InputChangeText change={inputChange} />
            </span>
          ))}
        </span>
      ) : (
        <span className="text-slate-600">
          {t("reasonSeparator")}
          <IndirectReason passedBy={change.passedBy} />
        </span>
      )}
    </li>
  );
}

/** At most this many passing items are named; the rest are counted. */
const MAX_NAMED_PASSERS = 3;

function IndirectReason({ passedBy }: { passedBy: string[] }) {
  const t = useTranslations("prioritize.changes");
  if (passedBy.length === 0) return <>{t("otherItemsMoved")}</>;
  const items = passedBy.slice(0, MAX_NAMED_PASSERS).join(", ");
  const rest = passedBy.length - MAX_NAMED_PASSERS;
  return <>{rest > 0 ? t("passedByMore", { items, count: rest }) : t("passedBy", { items })}</>;
}

export function InputChangeText({ change }: { change: InputChange }) {
  const t = useTranslations("prioritize.changes");
  const tInputs = useTranslations("backlog.inputs");
  const format = useNumberFormat();
  const value = (input: SnapshotInput | null) => (input ? format(input.value) : t("unset"));
  return (
    <>
      {tInputs(change.input)} {value(change.before)} → {value(change.after)}
      {change.after ? <Provenance input={change.after} /> : null}
    </>
  );
}

function Provenance({ input }: { input: SnapshotInput }) {
  const t = useTranslations("prioritize.changes");
  const tSources = useTranslations("backlog.sources");
  const source = tSources(input.source);
  if (input.evidenceIds.length > 0) return <> ({t("cites", { source, ids: input.evidenceIds.join(", ") })})</>;
  if (input.source === "pm" && input.rationale) return <> ({t("reason", { source, reason: input.rationale })})</>;
  return <> ({source})</>;
}

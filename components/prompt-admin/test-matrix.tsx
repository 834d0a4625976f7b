"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { TestMatrix } from "@/lib/prompt-admin/test-matrix";
import { TestResultDetail, VerdictBadge } from "./test-result";
import type { TestCaseView } from "./types";

/** Render the case × language grid of a test run; choosing a cell shows its result in full. */
export function TestMatrixView({
  matrix,
  cases,
  caption,
}: {
  matrix: TestMatrix;
  cases: TestCaseView[];
  caption: string;
}) {
  const t = useTranslations("promptAdmin.tests");
  const tVerdict = useTranslations("promptAdmin.tests.verdicts");
  const tResult = useTranslations("promptAdmin.tests.result");
  const tLanguages = useTranslations("promptAdmin.languages");
  const [selected, setSelected] = useState<string | null>(null);
  const languages = matrix.testRun.targets;
  const selectedCell = matrix.cells.find((cell) => `${cell.caseId}:${cell.language}` === selected);

  return (
    <div className="flex flex-col gap-3">
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="px-3 py-2 text-left text-sm font-semibold text-slate-800">
            {caption} — {t(`runStatus.${matrix.status}`)} ·{" "}
            {t("totals", {
              passed: matrix.totals.passed,
              failed: matrix.totals.failed,
              error: matrix.totals.error,
              pending: matrix.totals.pending,
            })}
          </caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">
                {t("case")}
              </th>
              {languages.map((target) => (
                <th key={target.language} scope="col" className="px-3 py-2">
                  {tLanguages.has(target.language) ? tLanguages(target.language) : target.language} ·{" "}
                  {target.versionNumber ? t("versionShort", { version: target.versionNumber }) : t("draft")}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {matrix.cases.map((testCase) => (
              <tr key={testCase.id}>
                <th scope="row" className="px-3 py-2 font-medium">
                  {testCase.name}
                </th>
                {languages.map((target) => {
                  const cell = matrix.cells.find(
                    (entry) => entry.caseId === testCase.id && entry.language === target.language,
                  );
                  const key = `${testCase.id}:${target.language}`;
                  return (
                    <td
                      key={target.language}
                      className="px-3 py-2"
                      data-testid={`cell-${testCase.name}-${target.language}`}
                    >
                      {cell ? (
                        <button
                          type="button"
                          aria-expanded={selected === key}
                          onClick={() => setSelected(selected === key ? null : key)}
                          className="flex items-center gap-2"
                        >
                          <VerdictBadge verdict={cell.state} label={tVerdict(cell.state)} />
                          {cell.result?.latencyMs != null ? (
                            <span className="text-xs text-slate-500">
                              {tResult("milliseconds", { value: cell.result.latencyMs })}
                            </span>
                          ) : null}
                        </button>
                      ) : (
                        "—"
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selectedCell?.result ? (
        <div className="rounded-lg border border-slate-200 bg-white p-3">
          <TestResultDetail
            result={selectedCell.result}
            assertions={cases.find((entry) => entry.id === selectedCell.caseId)?.assertions}
          />
        </div>
      ) : null}
    </div>
  );
}

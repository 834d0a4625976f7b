"use client";

import { useTranslations } from "next-intl";
import type { EditorIssue } from "@/lib/prompt-admin/lint";

/** Render the checks of one language in plain words, updated as the editor types. */
export function LintList({
  issues,
  declared,
  id,
}: {
  issues: EditorIssue[];
  declared: readonly string[];
  id?: string;
}) {
  const t = useTranslations("promptAdmin.lint");
  const tLanguages = useTranslations("promptAdmin.languages");

  return (
    <section id={id} aria-live="polite" className="rounded-md border border-slate-200 bg-slate-50 p-3">
      <h4 className="mb-1 text-sm font-semibold text-slate-800">{t("title")}</h4>
      {issues.length === 0 ? (
        <p className="text-sm text-emerald-800">{t("clean")}</p>
      ) : (
        <ul className="list-inside list-disc space-y-1 text-sm text-red-800">
          {issues.map((issue) => (
            <li key={`${issue.code}:${issue.field}:${issue.variable ?? ""}:${issue.line ?? ""}:${issue.column ?? ""}`}>
              {describeIssue(issue)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );

  function describeIssue(issue: EditorIssue): string {
    const field = t(`fields.${issue.field}`);
    switch (issue.code) {
      case "empty":
        return t("empty", { field });
      case "too_long":
        return t("tooLong", { field });
      case "invalid_placeholder":
        return t("invalidPlaceholder", { field, line: issue.line ?? 0, column: issue.column ?? 0 });
      case "undeclared_variable":
        return t("undeclared", {
          variable: issue.variable ?? "",
          declared: declared.map((name) => `$${name}`).join(", "),
        });
      case "unused_variable":
        return issue.usedIn
          ? t("missingFromPair", { variable: issue.variable ?? "", other: languageName(issue.usedIn) })
          : t("unused", { variable: issue.variable ?? "" });
      default:
        return t("invalidParameters", { detail: issue.message });
    }
  }

  function languageName(language: string): string {
    return tLanguages.has(language) ? tLanguages(language) : language;
  }
}

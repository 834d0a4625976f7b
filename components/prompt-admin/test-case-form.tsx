"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { Assertion, AssertionKind } from "@/lib/prompt-admin/assertions";
import { ApiError, callApi, promptUrl } from "./api";
import { useSingleFlight } from "./single-flight";
import type { TestCaseView } from "./types";

const kinds: AssertionKind[] = [
  "parses",
  "matches_schema",
  "equals",
  "contains",
  "range",
  "max_latency_ms",
  "max_cost_usd",
];

/** Create or change a test case: name, language, variables that replace the samples, and assertions. */
export function TestCaseForm({
  promptKey,
  languages,
  freeText,
  existing,
  onSaved,
  onCancel,
}: {
  promptKey: string;
  languages: string[];
  freeText: boolean;
  existing: TestCaseView | null;
  onSaved: (testCase: TestCaseView) => void;
  onCancel: () => void;
}) {
  const t = useTranslations("promptAdmin.tests.form");
  const tKinds = useTranslations("promptAdmin.tests.kinds");
  const nameId = useId();
  const languageId = useId();
  const variablesId = useId();
  const [name, setName] = useState(existing?.name ?? "");
  const [language, setLanguage] = useState(existing?.language ?? languages[0] ?? "en");
  const [variables, setVariables] = useState(JSON.stringify(existing?.variables ?? {}, null, 2));
  const [assertions, setAssertions] = useState<Assertion[]>(
    existing?.assertions ??
      (freeText ? [{ kind: "max_latency_ms", value: 60_000 }] : [{ kind: "parses" }, { kind: "matches_schema" }]),
  );
  const [error, setError] = useState<string | null>(null);
  // One save at a time, so a double-click adds the case once.
  const { busy, runOnce } = useSingleFlight();

  const save = () => runOnce(saveCase);

  async function saveCase() {
    setError(null);
    let parsedVariables: unknown;
    try {
      parsedVariables = JSON.parse(variables || "{}");
    } catch {
      setError(t("variablesInvalid"));
      return;
    }
    try {
      const body = { name, language, variables: parsedVariables, assertions };
      const result = existing
        ? await callApi<{ case: TestCaseView }>(promptUrl(promptKey, `/tests/${existing.id}`), { method: "PUT", body })
        : await callApi<{ case: TestCaseView }>(promptUrl(promptKey, "/tests"), { method: "POST", body });
      onSaved(result.case);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  }

  const replace = (index: number, assertion: Assertion) =>
    setAssertions(assertions.map((entry, position) => (position === index ? assertion : entry)));

  return (
    <section
      aria-label={existing ? t("editTitle") : t("addTitle")}
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-slate-50 p-4"
    >
      <h3 className="text-base font-semibold">{existing ? t("editTitle") : t("addTitle")}</h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="flex flex-col gap-1">
          <label htmlFor={nameId} className="text-sm font-medium">
            {t("name")}
          </label>
          <input
            id={nameId}
            value={name}
            onChange={(event) => setName(event.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={languageId} className="text-sm font-medium">
            {t("language")}
          </label>
          <select
            id={languageId}
            value={language}
            onChange={(event) => setLanguage(event.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          >
            {languages.map((entry) => (
              <option key={entry} value={entry}>
                {entry}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={variablesId} className="text-sm font-medium">
          {t("variables")}
        </label>
        <textarea
          id={variablesId}
          rows={5}
          value={variables}
          spellCheck={false}
          onChange={(event) => setVariables(event.target.value)}
          className="rounded-md border border-slate-300 p-2 font-mono text-xs"
        />
        <p className="text-xs text-slate-600">{t("variablesHelp")}</p>
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="text-sm font-medium">{t("assertions")}</legend>
        {assertions.map((assertion, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: assertions are edited in place by position.
          <div key={index} className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-white p-2">
            <label className="flex flex-col text-xs">
              {t("kind")}
              <select
                value={assertion.kind}
                onChange={(event) => replace(index, defaultAssertion(event.target.value as AssertionKind))}
                className="rounded-md border border-slate-300 px-2 py-1 text-sm"
              >
                {kinds
                  .filter((kind) => !freeText || (kind !== "parses" && kind !== "matches_schema"))
                  .map((kind) => (
                    <option key={kind} value={kind}>
                      {tKinds(kind)}
                    </option>
                  ))}
              </select>
            </label>
            <AssertionFields assertion={assertion} onChange={(next) => replace(index, next)} />
            <Button
              variant="ghost"
              onClick={() => setAssertions(assertions.filter((_, position) => position !== index))}
            >
              {t("removeAssertion")}
            </Button>
          </div>
        ))}
        <Button
          variant="secondary"
          className="self-start"
          onClick={() => setAssertions([...assertions, defaultAssertion("equals")])}
        >
          {t("addAssertion")}
        </Button>
      </fieldset>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="flex gap-2">
        <Button disabled={busy} onClick={save}>
          {t("save")}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          {t("cancel")}
        </Button>
      </div>
    </section>
  );
}

function defaultAssertion(kind: AssertionKind): Assertion {
  switch (kind) {
    case "equals":
      return { kind, path: "", value: "" };
    case "contains":
      return { kind, path: "", value: "" };
    case "range":
      return { kind, path: "", min: 0 };
    case "max_latency_ms":
      return { kind, value: 60_000 };
    case "max_cost_usd":
      return { kind, value: 0.05 };
    default:
      return { kind } as Assertion;
  }
}

function AssertionFields({ assertion, onChange }: { assertion: Assertion; onChange: (assertion: Assertion) => void }) {
  const t = useTranslations("promptAdmin.tests.form");
  const input = "rounded-md border border-slate-300 px-2 py-1 text-sm";
  const numberOrUndefined = (raw: string) => (raw.trim() === "" ? undefined : Number(raw));
  switch (assertion.kind) {
    case "equals":
    case "contains":
      return (
        <>
          <label className="flex flex-col text-xs">
            {t("path")}
            <input
              value={assertion.path}
              placeholder="items[0].item_id"
              onChange={(event) => onChange({ ...assertion, path: event.target.value })}
              className={input}
            />
          </label>
          <label className="flex flex-col text-xs">
            {assertion.kind === "equals" ? t("expectedJson") : t("expectedText")}
            <input
              value={assertion.kind === "equals" ? JSON.stringify(assertion.value) : assertion.value}
              onChange={(event) => {
                if (assertion.kind === "contains") return onChange({ ...assertion, value: event.target.value });
                try {
                  onChange({ ...assertion, value: JSON.parse(event.target.value) });
                } catch {
                  onChange({ ...assertion, value: event.target.value });
                }
              }}
              className={input}
            />
          </label>
        </>
      );
    case "range":
      return (
        <>
          <label className="flex flex-col text-xs">
            {t("path")}
            <input
              value={assertion.path}
              onChange={(event) => onChange({ ...assertion, path: event.target.value })}
              className={input}
            />
          </label>
          <label className="flex flex-col text-xs">
            {t("min")}
            <input
              type="number"
              value={assertion.min ?? ""}
              onChange={(event) => onChange({ ...assertion, min: numberOrUndefined(event.target.value) })}
              className={input}
            />
          </label>
          <label className="flex flex-col text-xs">
            {t("max")}
            <input
              type="number"
              value={assertion.max ?? ""}
              onChange={(event) => onChange({ ...assertion, max: numberOrUndefined(event.target.value) })}
              className={input}
            />
          </label>
        </>
      );
    case "max_latency_ms":
    case "max_cost_usd":
      return (
        <label className="flex flex-col text-xs">
          {assertion.kind === "max_latency_ms" ? t("maxLatency") : t("maxCost")}
          <input
            type="number"
            value={assertion.value}
            onChange={(event) => onChange({ ...assertion, value: Number(event.target.value) })}
            className={input}
          />
        </label>
      );
    default:
      return null;
  }
}

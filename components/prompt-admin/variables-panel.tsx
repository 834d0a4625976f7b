"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import type { PromptVariable } from "@/lib/prompts/manifest";

/**
 * Render the prompt's declared variables with what each means and its sample value. Editing a value
 * changes what the preview renders with; text samples are edited as text, others as JSON.
 */
export function VariablesPanel({
  variables,
  values,
  onChange,
}: {
  variables: PromptVariable[];
  values: Record<string, unknown>;
  onChange: (values: Record<string, unknown>) => void;
}) {
  const t = useTranslations("promptAdmin.variables");
  return (
    <section aria-labelledby="variables-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="variables-title" className="mb-1 text-lg font-semibold text-slate-900">
        {t("title")}
      </h2>
      <p className="mb-3 text-sm text-slate-600">{t("description")}</p>
      <dl className="flex flex-col gap-4">
        {variables.map((variable) => (
          <VariableRow
            key={variable.name}
            variable={variable}
            value={Object.hasOwn(values, variable.name) ? values[variable.name] : variable.sample}
            edited={Object.hasOwn(values, variable.name)}
            onChange={(value) => {
              const next = { ...values };
              if (value === undefined) delete next[variable.name];
              else next[variable.name] = value;
              onChange(next);
            }}
          />
        ))}
      </dl>
    </section>
  );
}

function VariableRow({
  variable,
  value,
  edited,
  onChange,
}: {
  variable: PromptVariable;
  value: unknown;
  edited: boolean;
  onChange: (value: unknown) => void;
}) {
  const t = useTranslations("promptAdmin.variables");
  const id = useId();
  const isText = typeof variable.sample === "string";
  const [raw, setRaw] = useState(() => (isText ? String(value) : JSON.stringify(value, null, 2)));
  const [error, setError] = useState(false);

  return (
    <div className="flex flex-col gap-1">
      <dt>
        <label htmlFor={id} className="font-mono text-sm font-semibold text-indigo-800">
          ${variable.name}
        </label>
        <span className="ml-2 text-sm text-slate-700">{variable.description}</span>
      </dt>
      <dd className="flex flex-col gap-1">
        <textarea
          id={id}
          value={raw}
          rows={isText ? 2 : 5}
          spellCheck={false}
          aria-invalid={error || undefined}
          onChange={(event) => {
            setRaw(event.target.value);
            if (isText) return onChange(event.target.value);
            try {
              onChange(JSON.parse(event.target.value));
              setError(false);
            } catch {
              setError(true);
            }
          }}
          className="rounded-md border border-slate-300 p-2 font-mono text-xs aria-invalid:border-red-600"
        />
        {error ? <p className="text-xs text-red-700">{t("invalidJson")}</p> : null}
        {edited ? (
          <button
            type="button"
            className="self-start text-xs text-indigo-700 underline"
            onClick={() => {
              setRaw(isText ? String(variable.sample) : JSON.stringify(variable.sample, null, 2));
              setError(false);
              onChange(undefined);
            }}
          >
            {t("reset")}
          </button>
        ) : null}
      </dd>
    </div>
  );
}

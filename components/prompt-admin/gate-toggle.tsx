"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { callApi, promptUrl } from "./api";
import { useSingleFlight } from "./single-flight";

/** Render the prompt's publish gate: when on, only versions on which every test case passed can go live. */
export function GateToggle({
  promptKey,
  on,
  onChange,
  canEdit,
}: {
  promptKey: string;
  on: boolean;
  onChange: (on: boolean) => void;
  canEdit: boolean;
}) {
  const t = useTranslations("promptAdmin.gate");
  const id = useId();
  const { busy, runOnce } = useSingleFlight();
  const [error, setError] = useState<string | null>(null);

  const toggle = (next: boolean) => runOnce(() => saveGate(next));

  async function saveGate(next: boolean) {
    setError(null);
    try {
      const body = await callApi<{ gateOn: boolean }>(promptUrl(promptKey, "/gate"), {
        method: "PUT",
        body: { requirePassingTests: next },
      });
      onChange(body.gateOn);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  return (
    <div className="flex flex-col gap-1 rounded-md border border-slate-200 bg-white p-3">
      <div className="flex items-center gap-2">
        <input
          id={id}
          type="checkbox"
          checked={on}
          disabled={!canEdit || busy}
          onChange={(event) => toggle(event.target.checked)}
        />
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          {t("label")}
        </label>
      </div>
      <p className="text-xs text-slate-600">{on ? t("onHelp") : t("offHelp")}</p>
      {error ? <p className="text-xs text-red-700">{error}</p> : null}
    </div>
  );
}

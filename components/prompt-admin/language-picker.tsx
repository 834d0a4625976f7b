"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";

/** A lower-case BCP 47 tag, as prompt versions store languages (`en`, `fr`, `pt-br`). */
const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/;

/** Render the language choice of one editor side, and for editors a way to add a new language. */
export function LanguagePicker({
  language,
  languages,
  canAdd,
  onChange,
  onAdd,
}: {
  language: string;
  languages: string[];
  canAdd: boolean;
  onChange: (language: string) => void;
  onAdd: (language: string) => void;
}) {
  const t = useTranslations("promptAdmin.editor");
  const tLanguages = useTranslations("promptAdmin.languages");
  const selectId = useId();
  const newLanguageId = useId();
  const [newLanguage, setNewLanguage] = useState("");
  const languageName = (code: string) => (tLanguages.has(code) ? tLanguages(code) : code);

  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={selectId} className="text-xs font-medium uppercase tracking-wide text-slate-500">
        {t("language")}
      </label>
      <select
        id={selectId}
        value={language}
        onChange={(event) => onChange(event.target.value)}
        className="rounded-md border border-slate-300 px-2 py-1 text-sm font-semibold"
      >
        {languages.map((code) => (
          <option key={code} value={code}>
            {languageName(code)} ({code})
          </option>
        ))}
      </select>
      {canAdd ? (
        <details className="text-xs">
          <summary className="cursor-pointer text-indigo-700">{t("addLanguage")}</summary>
          <div className="mt-1 flex items-end gap-2">
            <label htmlFor={newLanguageId} className="flex flex-col">
              {t("languageTag")}
              <input
                id={newLanguageId}
                value={newLanguage}
                placeholder="de"
                maxLength={35}
                onChange={(event) => setNewLanguage(event.target.value.trim().toLowerCase())}
                className="w-24 rounded-md border border-slate-300 px-2 py-1"
              />
            </label>
            <Button
              variant="secondary"
              disabled={!LANGUAGE_TAG.test(newLanguage)}
              onClick={() => {
                onAdd(newLanguage);
                setNewLanguage("");
              }}
            >
              {t("add")}
            </Button>
          </div>
        </details>
      ) : null}
    </div>
  );
}

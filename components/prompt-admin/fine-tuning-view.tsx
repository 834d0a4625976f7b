"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import type { FineTuningValidation } from "@/lib/prompt-admin/fine-tuning-validator";
import { ValidateSection } from "./fine-tuning-check";
import { ExportSection } from "./fine-tuning-export";
import { JobsSection } from "./fine-tuning-jobs";

/** Export recorded calls as fine-tuning JSONL, validate any such file, and (admins) start and follow jobs. */
export function FineTuningView({
  promptKey,
  isAdmin,
  defaultMaxTokens,
}: {
  promptKey: string;
  isAdmin: boolean;
  defaultMaxTokens: number;
}) {
  const t = useTranslations("promptAdmin.fineTuning");
  const [text, setText] = useState("");
  const [validation, setValidation] = useState<FineTuningValidation | null>(null);
  const [error, setError] = useState<string | null>(null);

  return (
    <div className="flex flex-col gap-6">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <ExportSection
        promptKey={promptKey}
        onExported={(exported) => {
          setText(exported.jsonl);
          setValidation(exported.validation);
        }}
        onError={setError}
      />
      <ValidateSection
        promptKey={promptKey}
        text={text}
        setText={setText}
        validation={validation}
        setValidation={setValidation}
        defaultMaxTokens={defaultMaxTokens}
        onError={setError}
      />
      {isAdmin ? (
        <JobsSection promptKey={promptKey} text={text} ready={validation?.ok ?? false} />
      ) : (
        <p className="text-sm text-slate-600">{t("jobsAdminsOnly")}</p>
      )}
    </div>
  );
}

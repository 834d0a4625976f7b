"use client";

import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { setInputAction } from "@/app/(app)/w/[workspaceId]/backlog/actions";
import { useLocalizeServerError } from "@/components/server-error";
import { Button } from "@/components/ui/button";
import { parseLocaleNumber } from "@/lib/backlog/locale-numbers";
import { ITEM_LIMITS } from "@/lib/backlog/schemas";
import type { RankChange } from "@/lib/prioritization/changes";
import { type InputName, type InputScale, inputDefinitions, isValidInputValue } from "@/lib/prioritization/scales";
import { useNumberFormat } from "./input-value";

const fieldClasses =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 aria-invalid:border-red-600";

/** Describe an input's allowed values in the UI language. */
export function useScaleText(): (input: InputName) => string {
  const t = useTranslations("backlog.scale");
  const format = useNumberFormat();
  return (input) => {
    const scale: InputScale = inputDefinitions[input].scale;
    if (scale.kind === "set") return t("set", { values: scale.values.map(format).join(", ") });
    return t(scale.integer ? "wholeRange" : "range", { min: format(scale.min), max: format(scale.max) });
  };
}

/** Write a stored value as the locale types it, without grouping, so that saving it unchanged reads it back. */
function formatForEditing(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { useGrouping: false, maximumFractionDigits: 20 }).format(value);
}

/**
 * Set (or clear) the PM value of one input with a required reason. The value and the reason are
 * checked here for a quick message and again on the server. The rank changes the value caused
 * are passed to `onChanged`.
 */
export function InputEditor({
  workspaceId,
  itemId,
  input,
  initialValue,
  version,
  canClear,
  onChanged,
  submitLabel,
}: {
  workspaceId: string;
  itemId: string;
  input: InputName;
  initialValue?: number | null;
  /** The item version on screen; the save is then rejected if someone changed the item meanwhile. */
  version?: number;
  /** Offer "clear", which removes the PM value so the AI or import value applies again. */
  canClear?: boolean;
  onChanged?: (changes: RankChange[]) => void;
  submitLabel?: string;
}) {
  const t = useTranslations("backlog.override");
  const tInputs = useTranslations("backlog.inputs");
  const tServer = useTranslations("serverErrors");
  const locale = useLocale();
  const localizeError = useLocalizeServerError();
  const scaleText = useScaleText();
  const router = useRouter();
  const [value, setValue] = useState(() =>
    initialValue === null || initialValue === undefined ? "" : formatForEditing(initialValue, locale),
  );
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<{ value?: string; reason?: string; form?: string }>({});
  const [pending, startTransition] = useTransition();
  const id = useId();

  const save = (clear: boolean) => {
    const parsed = clear ? null : parseLocaleNumber(value, locale);
    const problems: typeof errors = {};
    // The scale text starts a sentence on its own, and here it follows "Enter".
    const expected = scaleText(input).replace(/^\p{Lu}/u, (letter) => letter.toLocaleLowerCase(locale));
    if (!clear && value.trim() === "") {
      problems.value = t("valueRequired", { scale: expected });
    } else if (parsed !== null && typeof parsed !== "number") {
      problems.value =
        parsed.code === "number_ambiguous"
          ? tServer("rowProblems.number_ambiguous", { value: value.trim() })
          : t("invalidValue", { scale: expected });
    } else if (parsed !== null && !isValidInputValue(input, parsed)) {
      problems.value = t("invalidValue", { scale: expected });
    }
    if (!reason.trim()) problems.reason = t("reasonRequired");
    else if (reason.trim().length > ITEM_LIMITS.reason)
      problems.reason = t("reasonTooLong", { max: ITEM_LIMITS.reason });
    setErrors(problems);
    if (problems.value || problems.reason) return;

    startTransition(async () => {
      const result = await setInputAction(workspaceId, itemId, input, {
        value: typeof parsed === "number" ? parsed : null,
        reason,
        version,
      });
      if (!result.ok) {
        setErrors({ form: t("failed", { message: localizeError(result.error) }) });
        return;
      }
      setReason("");
      onChanged?.(result.data);
      router.refresh();
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save(false);
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      className="flex flex-wrap items-start gap-2"
      aria-label={t("formLabel", { input: tInputs(input) })}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-value`} className="text-xs font-medium text-slate-700">
          {t("value", { input: tInputs(input) })}
        </label>
        <input
          id={`${id}-value`}
          inputMode="decimal"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          aria-invalid={errors.value ? true : undefined}
          aria-describedby={`${id}-value-hint`}
          className={`${fieldClasses} w-28`}
        />
        <span id={`${id}-value-hint`} className={`text-xs ${errors.value ? "text-red-700" : "text-slate-600"}`}>
          {errors.value ?? scaleText(input)}
        </span>
      </div>
      <div className="flex min-w-64 flex-1 flex-col gap-1">
        <label htmlFor={`${id}-reason`} className="text-xs font-medium text-slate-700">
          {t("reason")}
        </label>
        <input
          id={`${id}-reason`}
          value={reason}
          maxLength={ITEM_LIMITS.reason}
          onChange={(event) => setReason(event.target.value)}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={errors.reason ? `${id}-reason-error` : undefined}
          placeholder={t("reasonPlaceholder")}
          className={fieldClasses}
        />
        {errors.reason ? (
          <span id={`${id}-reason-error`} className="text-xs text-red-700" role="alert">
            {errors.reason}
          </span>
        ) : null}
      </div>
      <div className="flex gap-1 pt-5">
        <Button type="submit" variant="secondary" disabled={pending}>
          {submitLabel ?? t("save")}
        </Button>
        {canClear ? (
          <Button variant="ghost" disabled={pending} onClick={() => save(true)}>
            {t("clear")}
          </Button>
        ) : null}
      </div>
      {errors.form ? (
        <p role="alert" className="basis-full text-xs text-red-700">
          {errors.form}
        </p>
      ) : null}
    </form>
  );
}

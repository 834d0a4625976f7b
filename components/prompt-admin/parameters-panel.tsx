"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useId } from "react";
import {
  type ParameterPreset,
  type ParameterSettings,
  parameterPresetNames,
  parameterPresets,
  presetDefault,
  providerRanges,
  type SamplingParameter,
  samplingParameters,
} from "@/lib/prompts/parameters";

/** Render the preset and the values it overrides, each with what it changes in plain words. */
export function ParametersPanel({
  value,
  onChange,
  readOnly,
}: {
  value: ParameterSettings;
  onChange: (value: ParameterSettings) => void;
  readOnly: boolean;
}) {
  const t = useTranslations("promptAdmin.parameters");
  const presetId = useId();
  const maxTokensId = useId();

  const setOverride = (parameter: SamplingParameter, raw: string) => {
    const overrides = { ...value.overrides };
    if (raw.trim() === "") delete overrides[parameter];
    else overrides[parameter] = Number(raw);
    onChange({ ...value, overrides });
  };

  return (
    <fieldset className="rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold text-slate-800">{t("title")}</legend>
      <div className="mb-3 flex flex-col gap-1">
        <label htmlFor={presetId} className="text-sm font-medium text-slate-800">
          {t("preset")}
        </label>
        <select
          id={presetId}
          value={value.preset}
          disabled={readOnly}
          onChange={(event) => onChange({ ...value, preset: event.target.value as ParameterPreset })}
          className="rounded-md border border-slate-300 px-2 py-1 text-sm"
        >
          {parameterPresetNames.map((preset) => (
            <option key={preset} value={preset}>
              {t(`presets.${preset}`)}
            </option>
          ))}
        </select>
        <p className="text-xs text-slate-600">{t(`presetHelp.${value.preset}`)}</p>
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        {samplingParameters.map((parameter) => (
          <OverrideField
            key={parameter}
            parameter={parameter}
            preset={value.preset}
            value={value.overrides[parameter]}
            readOnly={readOnly}
            onChange={(raw) => setOverride(parameter, raw)}
          />
        ))}
        <div className="flex flex-col gap-1">
          <label htmlFor={maxTokensId} className="text-sm font-medium text-slate-800">
            {t("maxOutputTokens")}
          </label>
          <input
            id={maxTokensId}
            type="number"
            min={1}
            step={1}
            value={value.maxOutputTokens ?? ""}
            readOnly={readOnly}
            onChange={(event) =>
              onChange({
                ...value,
                maxOutputTokens:
                  event.target.value === "" ? undefined : Math.max(1, Math.round(Number(event.target.value))),
              })
            }
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
          <p className="text-xs text-slate-600">{t("help.maxOutputTokens")}</p>
        </div>
      </div>
    </fieldset>
  );
}

function OverrideField({
  parameter,
  preset,
  value,
  readOnly,
  onChange,
}: {
  parameter: SamplingParameter;
  preset: ParameterPreset;
  value: number | undefined;
  readOnly: boolean;
  onChange: (raw: string) => void;
}) {
  const t = useTranslations("promptAdmin.parameters");
  const format = useFormatter();
  const id = useId();
  const [low, high] = parameterPresets[preset][parameter];
  const presetValue = presetDefault(preset, parameter);
  const [min, max] = providerRanges[parameter];
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {t(`names.${parameter}`)}
      </label>
      <input
        id={id}
        type="number"
        min={min}
        max={max}
        step={0.05}
        value={value ?? ""}
        placeholder={format.number(presetValue)}
        readOnly={readOnly}
        onChange={(event) => onChange(event.target.value)}
        className="rounded-md border border-slate-300 px-2 py-1 text-sm"
      />
      <p className="text-xs text-slate-600">
        {t(`help.${parameter}`)} {t("presetRange", { low, high, value: presetValue })}
      </p>
    </div>
  );
}

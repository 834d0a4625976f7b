import { z } from "zod";

/**
 * Sampling parameter presets. Each range is the band that production teams use for that kind of
 * task. A preset's default is the middle of its band, and a prompt may override any value.
 */
export const parameterPresets = {
  creative: {
    temperature: [0.7, 1.0],
    topP: [0.9, 1.0],
    frequencyPenalty: [0.3, 0.5],
    presencePenalty: [0.5, 0.8],
  },
  analytical: {
    temperature: [0.3, 0.5],
    topP: [0.5, 0.7],
    frequencyPenalty: [0.0, 0.2],
    presencePenalty: [0.0, 0.3],
  },
  classification: {
    temperature: [0.0, 0.2],
    topP: [0.1, 0.3],
    frequencyPenalty: [0, 0],
    presencePenalty: [0, 0],
  },
} as const satisfies Record<string, Record<SamplingParameter, readonly [number, number]>>;

export type ParameterPreset = keyof typeof parameterPresets;
export const parameterPresetNames = Object.keys(parameterPresets) as ParameterPreset[];

export const samplingParameters = ["temperature", "topP", "frequencyPenalty", "presencePenalty"] as const;
export type SamplingParameter = (typeof samplingParameters)[number];

/** Ranges the OpenAI and Azure OpenAI chat-completions APIs accept. */
export const providerRanges: Record<SamplingParameter, readonly [number, number]> = {
  temperature: [0, 2],
  topP: [0, 1],
  frequencyPenalty: [-2, 2],
  presencePenalty: [-2, 2],
};

function rangedNumber(parameter: SamplingParameter) {
  const [min, max] = providerRanges[parameter];
  return z
    .number()
    .min(min, `${parameter} must be between ${min} and ${max}`)
    .max(max, `${parameter} must be between ${min} and ${max}`);
}

export const parameterOverridesSchema = z.strictObject({
  temperature: rangedNumber("temperature").optional(),
  topP: rangedNumber("topP").optional(),
  frequencyPenalty: rangedNumber("frequencyPenalty").optional(),
  presencePenalty: rangedNumber("presencePenalty").optional(),
});
export type ParameterOverrides = z.infer<typeof parameterOverridesSchema>;

/** Parameter settings of a prompt version: the chosen preset, the values it overrides, and max tokens. */
export const parameterSettingsSchema = z.strictObject({
  preset: z.enum(parameterPresetNames as [ParameterPreset, ...ParameterPreset[]]),
  overrides: parameterOverridesSchema.default({}),
  /** Upper bound on generated tokens; absent leaves the provider's default. */
  maxOutputTokens: z.int().min(1, "maxOutputTokens must be at least 1").max(1_000_000).optional(),
});
export type ParameterSettings = z.infer<typeof parameterSettingsSchema>;

/** Final call parameters, named as AI SDK call settings are. */
export interface ResolvedParameters {
  temperature: number;
  topP: number;
  frequencyPenalty: number;
  presencePenalty: number;
  maxOutputTokens?: number;
}

/** Middle of a preset band, rounded to two decimals so 0.85 does not print as 0.8500000000000001. */
export function presetDefault(preset: ParameterPreset, parameter: SamplingParameter): number {
  const [low, high] = parameterPresets[preset][parameter];
  return Math.round(((low + high) / 2) * 100) / 100;
}

/** Resolve a version's settings into call parameters: preset defaults, then the overrides. */
export function resolveParameters(settings: ParameterSettings): ResolvedParameters {
  const resolved: ResolvedParameters = {
    temperature: settings.overrides.temperature ?? presetDefault(settings.preset, "temperature"),
    topP: settings.overrides.topP ?? presetDefault(settings.preset, "topP"),
    frequencyPenalty: settings.overrides.frequencyPenalty ?? presetDefault(settings.preset, "frequencyPenalty"),
    presencePenalty: settings.overrides.presencePenalty ?? presetDefault(settings.preset, "presencePenalty"),
  };
  if (settings.maxOutputTokens !== undefined) resolved.maxOutputTokens = settings.maxOutputTokens;
  return resolved;
}

/** Settings in a fixed key order, so the content hash and exported files do not depend on input order. */
export function normalizeParameterSettings(settings: ParameterSettings): ParameterSettings {
  const overrides: ParameterOverrides = {};
  for (const parameter of samplingParameters) {
    const value = settings.overrides[parameter];
    if (value !== undefined) overrides[parameter] = value;
  }
  const normalized: ParameterSettings = { preset: settings.preset, overrides };
  if (settings.maxOutputTokens !== undefined) normalized.maxOutputTokens = settings.maxOutputTokens;
  return normalized;
}

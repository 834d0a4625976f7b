import { describe, expect, it } from "vitest";
import {
  normalizeParameterSettings,
  parameterPresetNames,
  parameterPresets,
  parameterSettingsSchema,
  resolveParameters,
  samplingParameters,
} from "./parameters";

describe("resolveParameters", () => {
  it.each([
    ["creative", { temperature: 0.85, topP: 0.95, frequencyPenalty: 0.4, presencePenalty: 0.65 }],
    ["analytical", { temperature: 0.4, topP: 0.6, frequencyPenalty: 0.1, presencePenalty: 0.15 }],
    ["classification", { temperature: 0.1, topP: 0.2, frequencyPenalty: 0, presencePenalty: 0 }],
  ] as const)("%s preset uses the middle of each band", (preset, expected) => {
    expect(resolveParameters({ preset, overrides: {} })).toEqual(expected);
  });

  it.each(parameterPresetNames)("%s defaults lie inside the preset bands", (preset) => {
    const resolved = resolveParameters({ preset, overrides: {} });

    for (const parameter of samplingParameters) {
      const [low, high] = parameterPresets[preset][parameter];
      expect(resolved[parameter]).toBeGreaterThanOrEqual(low);
      expect(resolved[parameter]).toBeLessThanOrEqual(high);
    }
  });

  it("overrides replace preset values", () => {
    const resolved = resolveParameters({ preset: "analytical", overrides: { temperature: 0.2, presencePenalty: 0 } });

    expect(resolved.temperature).toBe(0.2);
    expect(resolved.presencePenalty).toBe(0);
    expect(resolved.topP).toBe(0.6);
  });

  it("passes max output tokens through", () => {
    expect(resolveParameters({ preset: "creative", overrides: {}, maxOutputTokens: 500 }).maxOutputTokens).toBe(500);
  });

  it("omits max output tokens when unset", () => {
    expect("maxOutputTokens" in resolveParameters({ preset: "creative", overrides: {} })).toBe(false);
  });
});

describe("parameterSettingsSchema", () => {
  it("accepts an override outside the preset band but inside the provider range", () => {
    const parsed = parameterSettingsSchema.parse({ preset: "classification", overrides: { temperature: 1.5 } });

    expect(parsed.overrides.temperature).toBe(1.5);
  });

  it.each([
    ["temperature above 2", { temperature: 2.1 }, "temperature must be between 0 and 2"],
    ["negative temperature", { temperature: -0.1 }, "temperature must be between 0 and 2"],
    ["topP above 1", { topP: 1.01 }, "topP must be between 0 and 1"],
    ["frequency penalty below -2", { frequencyPenalty: -2.5 }, "frequencyPenalty must be between -2 and 2"],
    ["presence penalty above 2", { presencePenalty: 3 }, "presencePenalty must be between -2 and 2"],
  ])("rejects %s", (_case, overrides, message) => {
    const result = parameterSettingsSchema.safeParse({ preset: "creative", overrides });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });

  it.each([
    ["zero", 0],
    ["a fraction", 10.5],
  ])("rejects max output tokens of %s", (_case, maxOutputTokens) => {
    const result = parameterSettingsSchema.safeParse({ preset: "creative", overrides: {}, maxOutputTokens });

    expect(result.success).toBe(false);
  });

  it("rejects an unknown preset", () => {
    expect(parameterSettingsSchema.safeParse({ preset: "poetic", overrides: {} }).success).toBe(false);
  });

  it("rejects an unknown override", () => {
    expect(parameterSettingsSchema.safeParse({ preset: "creative", overrides: { top_k: 3 } }).success).toBe(false);
  });

  it("defaults missing overrides to none", () => {
    expect(parameterSettingsSchema.parse({ preset: "creative" }).overrides).toEqual({});
  });
});

describe("normalizeParameterSettings", () => {
  it("orders override keys", () => {
    const normalized = normalizeParameterSettings({
      preset: "creative",
      overrides: { presencePenalty: 0.6, temperature: 0.9 },
      maxOutputTokens: 100,
    });

    expect(JSON.stringify(normalized)).toBe(
      '{"preset":"creative","overrides":{"temperature":0.9,"presencePenalty":0.6},"maxOutputTokens":100}',
    );
  });
});

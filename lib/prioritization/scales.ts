/**
 * Framework inputs and their allowed values. These are the scales PMs use in the field:
 * RICE (Intercom): reach per quarter, impact 0.25/0.5/1/2/3, confidence 50/80/100 %, effort in
 * person-months. ICE: impact, confidence and ease on 1-10. WSJF (SAFe): business value, time
 * criticality and risk reduction/opportunity enablement over job size, each on the modified
 * Fibonacci scale 1, 2, 3, 5, 8, 13, 20.
 */

import { defaultLocale, isLocale, type Locale } from "@/lib/i18n/locales";

export const frameworks = ["rice", "ice", "wsjf"] as const;
export type Framework = (typeof frameworks)[number];

export const RICE_IMPACT_VALUES = [0.25, 0.5, 1, 2, 3] as const;
export const RICE_CONFIDENCE_VALUES = [50, 80, 100] as const;
export const FIBONACCI_VALUES = [1, 2, 3, 5, 8, 13, 20] as const;

export type InputScale =
  | { kind: "set"; values: readonly number[] }
  | { kind: "range"; min: number; max: number; integer: boolean };

export interface InputDefinition {
  framework: Framework;
  scale: InputScale;
  /** Name of the input's unit in each UI language, written after a value: `500 people per quarter`. */
  unit?: Record<Locale, string>;
}

/** Every framework input, keyed by its name in the database, the API, prompts and CSV files. */
export const inputDefinitions = {
  reach: {
    framework: "rice",
    scale: { kind: "range", min: 0, max: 1_000_000_000, integer: true },
    unit: { en: "people per quarter", fr: "personnes par trimestre" },
  },
  impact: { framework: "rice", scale: { kind: "set", values: RICE_IMPACT_VALUES } },
  confidence: { framework: "rice", scale: { kind: "set", values: RICE_CONFIDENCE_VALUES }, unit: { en: "%", fr: "%" } },
  effort: {
    framework: "rice",
    scale: { kind: "range", min: 0.05, max: 1000, integer: false },
    unit: { en: "person-months", fr: "mois-personne" },
  },
  ice_impact: { framework: "ice", scale: { kind: "range", min: 1, max: 10, integer: true } },
  ice_confidence: { framework: "ice", scale: { kind: "range", min: 1, max: 10, integer: true } },
  ice_ease: { framework: "ice", scale: { kind: "range", min: 1, max: 10, integer: true } },
  business_value: { framework: "wsjf", scale: { kind: "set", values: FIBONACCI_VALUES } },
  time_criticality: { framework: "wsjf", scale: { kind: "set", values: FIBONACCI_VALUES } },
  risk_reduction: { framework: "wsjf", scale: { kind: "set", values: FIBONACCI_VALUES } },
  job_size: { framework: "wsjf", scale: { kind: "set", values: FIBONACCI_VALUES } },
} as const satisfies Record<string, InputDefinition>;

export type InputName = keyof typeof inputDefinitions;
export const inputNames = Object.keys(inputDefinitions) as InputName[];

export function inputsOfFramework(framework: Framework): InputName[] {
  return inputNames.filter((name) => inputDefinitions[name].framework === framework);
}

/**
 * Return the name of an input's unit in a language tag such as `fr` or `fr-CA`, or undefined when
 * the input has no unit. A language that is not a UI locale gets the English name.
 */
export function localizeUnit(name: InputName, language: string): string | undefined {
  const definition: InputDefinition = inputDefinitions[name];
  if (!definition.unit) return undefined;
  return definition.unit[toLocale(language)];
}

/** Return the UI locale of a language tag (`fr-CA` → `fr`), or the default locale for other languages. */
function toLocale(language: string): Locale {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : defaultLocale;
}

/** Words of `describeScale` per UI locale. */
const scalePhrases: Record<Locale, { set: string; number: string; whole: string; from: string; to: string }> = {
  en: { set: "one of", number: "a number", whole: "a whole number", from: "from", to: "to" },
  fr: { set: "une des valeurs", number: "un nombre", whole: "un nombre entier", from: "de", to: "à" },
};

/**
 * Describe an input's allowed values in plain words, for errors and prompts, in `language`
 * (English for a language that is not a UI locale). Numbers keep their JSON form, as the model writes them.
 */
export function describeScale(name: InputName, language = "en"): string {
  const scale: InputScale = inputDefinitions[name].scale;
  const words = scalePhrases[toLocale(language)];
  if (scale.kind === "set") return `${words.set} ${scale.values.join(", ")}`;
  return `${scale.integer ? words.whole : words.number} ${words.from} ${scale.min} ${words.to} ${scale.max}`;
}

export function isValidInputValue(name: InputName, value: number): boolean {
  const scale: InputScale = inputDefinitions[name].scale;
  if (!Number.isFinite(value)) return false;
  if (scale.kind === "set") return scale.values.includes(value);
  return value >= scale.min && value <= scale.max && (!scale.integer || Number.isInteger(value));
}

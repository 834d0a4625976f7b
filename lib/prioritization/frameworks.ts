import type { IceMode } from "@/db/schema";
import type { InputValues } from "./effective";
import { type Framework, type InputName, inputsOfFramework, isValidInputValue } from "./scales";

/**
 * A framework score, or the inputs that keep the item from being scored. Scores are absolute:
 * they depend only on the item's own inputs, never on the rest of the backlog.
 */
export type FrameworkScore =
  | { status: "scored"; score: number }
  | { status: "needs_input"; missing: InputName[]; invalid: InputName[] };

/** Read a framework's inputs, or list the missing and invalid ones; an invalid value is never scored. */
function readInputs(framework: Framework, values: InputValues): Record<string, number> | FrameworkScore {
  const missing: InputName[] = [];
  const invalid: InputName[] = [];
  const read: Record<string, number> = {};
  for (const name of inputsOfFramework(framework)) {
    const value = values[name];
    if (value === undefined) missing.push(name);
    else if (!isValidInputValue(name, value)) invalid.push(name);
    else read[name] = value;
  }
  if (missing.length > 0 || invalid.length > 0) return { status: "needs_input", missing, invalid };
  return read;
}

function isScore(value: Record<string, number> | FrameworkScore): value is FrameworkScore {
  return typeof value.status === "string";
}

/**
 * RICE = reach × impact × confidence ÷ effort, with confidence as a fraction (80 % → 0.8).
 * Unit: impact-weighted people per quarter per person-month.
 */
export function scoreRice(values: InputValues): FrameworkScore {
  const inputs = readInputs("rice", values);
  if (isScore(inputs)) return inputs;
  const { reach = 0, impact = 0, confidence = 0, effort = 1 } = inputs;
  return { status: "scored", score: (reach * impact * (confidence / 100)) / effort };
}

/** ICE from impact, confidence and ease (each 1–10): their product (1–1000) or their mean (1–10). */
export function scoreIce(values: InputValues, mode: IceMode): FrameworkScore {
  const inputs = readInputs("ice", values);
  if (isScore(inputs)) return inputs;
  const { ice_impact = 0, ice_confidence = 0, ice_ease = 0 } = inputs;
  const score =
    mode === "product" ? ice_impact * ice_confidence * ice_ease : (ice_impact + ice_confidence + ice_ease) / 3;
  return { status: "scored", score };
}

/** WSJF = cost of delay (business value + time criticality + risk reduction) ÷ job size. */
export function scoreWsjf(values: InputValues): FrameworkScore {
  const inputs = readInputs("wsjf", values);
  if (isScore(inputs)) return inputs;
  const { business_value = 0, time_criticality = 0, risk_reduction = 0, job_size = 1 } = inputs;
  return { status: "scored", score: (business_value + time_criticality + risk_reduction) / job_size };
}

export function scoreFramework(
  framework: Framework,
  values: InputValues,
  options: { iceMode: IceMode },
): FrameworkScore {
  if (framework === "rice") return scoreRice(values);
  if (framework === "ice") return scoreIce(values, options.iceMode);
  return scoreWsjf(values);
}

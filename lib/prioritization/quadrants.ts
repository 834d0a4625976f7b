import type { InputValues } from "./effective";
import type { Framework, InputName } from "./scales";
import { isValidInputValue } from "./scales";

export const quadrants = ["quick_win", "big_bet", "fill_in", "money_pit"] as const;
export type Quadrant = (typeof quadrants)[number];

/**
 * Mapping of one framework's inputs to a value axis and an effort axis, with the point where each
 * axis splits into low and high. A point is high on an axis when it is strictly above the threshold. The
 * thresholds are fixed numbers, never medians of the backlog, so adding an item never moves
 * another item to a different quadrant.
 */
export interface ValueEffortAxes {
  inputs: InputName[];
  value(values: Record<string, number>): number;
  effort(values: Record<string, number>): number;
  valueThreshold: number;
  effortThreshold: number;
}

export const valueEffortAxes: Record<Framework, ValueEffortAxes> = {
  // Value is the RICE numerator (impact-weighted people reached per quarter), effort is in
  // person-months. 500 is, for example, 500 people a quarter at medium impact with full
  // confidence. That suits products with a few thousand active users, so a workspace of another
  // size should pass its own thresholds. More than 2 person-months is more than one person's
  // half-quarter, which teams rarely call a quick win.
  rice: {
    inputs: ["reach", "impact", "confidence", "effort"],
    value: (v) => (v.reach ?? 0) * (v.impact ?? 0) * ((v.confidence ?? 0) / 100),
    effort: (v) => v.effort ?? 0,
    valueThreshold: 500,
    effortThreshold: 2,
  },
  // Value is ICE impact (1–10); effort is 11 − ease, so ease 10 is effort 1. Both split at the
  // middle of the 1–10 scale: 6 and above is high. Confidence is certainty, not value or effort.
  ice: {
    inputs: ["ice_impact", "ice_ease"],
    value: (v) => v.ice_impact ?? 0,
    effort: (v) => 11 - (v.ice_ease ?? 0),
    valueThreshold: 5,
    effortThreshold: 5,
  },
  // Value is the cost of delay (sum of three inputs on 1, 2, 3, 5, 8, 13, 20, so 3–60); effort
  // is job size. 5 is the middle of that scale, so a job of 8 or more is high effort, and a cost
  // of delay above 15 (three middle values) is high value.
  wsjf: {
    inputs: ["business_value", "time_criticality", "risk_reduction", "job_size"],
    value: (v) => (v.business_value ?? 0) + (v.time_criticality ?? 0) + (v.risk_reduction ?? 0),
    effort: (v) => v.job_size ?? 0,
    valueThreshold: 15,
    effortThreshold: 5,
  },
};

export type ValueEffortPlacement =
  | { status: "placed"; value: number; effort: number; quadrant: Quadrant }
  | { status: "needs_input"; missing: InputName[]; invalid: InputName[] };

export interface QuadrantThresholds {
  valueThreshold: number;
  effortThreshold: number;
}

export function classifyQuadrant(highValue: boolean, highEffort: boolean): Quadrant {
  if (highValue) return highEffort ? "big_bet" : "quick_win";
  return highEffort ? "money_pit" : "fill_in";
}

/** Place an item on the value vs effort chart of a framework; thresholds default to the ones above. */
export function placeValueEffort(
  framework: Framework,
  values: InputValues,
  thresholds?: Partial<QuadrantThresholds>,
): ValueEffortPlacement {
  const axes = valueEffortAxes[framework];
  const missing: InputName[] = [];
  const invalid: InputName[] = [];
  const read: Record<string, number> = {};
  for (const name of axes.inputs) {
    const value = values[name];
    if (value === undefined) missing.push(name);
    else if (!isValidInputValue(name, value)) invalid.push(name);
    else read[name] = value;
  }
  if (missing.length > 0 || invalid.length > 0) return { status: "needs_input", missing, invalid };

  const value = axes.value(read);
  const effort = axes.effort(read);
  const valueThreshold = thresholds?.valueThreshold ?? axes.valueThreshold;
  const effortThreshold = thresholds?.effortThreshold ?? axes.effortThreshold;
  return {
    status: "placed",
    value,
    effort,
    quadrant: classifyQuadrant(value > valueThreshold, effort > effortThreshold),
  };
}

import { type InputName, type InputScale, inputDefinitions, inputNames } from "@/lib/prioritization/scales";
import { isRecord } from "./blocks";

/**
 * The `invalid_value` fault: a `prioritization_proposals` answer that parses and has the schema's
 * shape, but whose first proposal has a value just past the top of its input's scale (impact 4 on
 * RICE's 0.25 to 3), so only the pipeline's validation and correction step can catch it.
 */

/** Return the largest allowed value of the input plus one. */
export function outOfScaleValue(input: InputName): number {
  const scale: InputScale = inputDefinitions[input].scale;
  return scale.kind === "set" ? Math.max(...scale.values) + 1 : scale.max + 1;
}

/**
 * Return the JSON text with its first proposal moved off its scale; a proposal with insufficient
 * evidence becomes a proposal with a value. Text that is not a proposals answer with at least one
 * proposal is returned unchanged.
 */
export function putProposalOffScale(json: string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return json;
  }
  if (!isRecord(value) || !Array.isArray(value.items)) return json;

  for (const item of value.items) {
    if (!isRecord(item) || !Array.isArray(item.proposals)) continue;
    const proposal = item.proposals.find((entry) => isRecord(entry) && isInputName(entry.input));
    if (!isRecord(proposal)) continue;

    proposal.value = outOfScaleValue(proposal.input as InputName);
    proposal.insufficient_evidence = false;
    return JSON.stringify(value);
  }
  return json;
}

function isInputName(name: unknown): name is InputName {
  return typeof name === "string" && (inputNames as string[]).includes(name);
}

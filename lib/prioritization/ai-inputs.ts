import type { PlannedBatch } from "@/lib/pipeline/task";
import type { EffectiveInputs } from "./effective";
import {
  describeScale,
  type Framework,
  type InputName,
  inputsOfFramework,
  isValidInputValue,
  localizeUnit,
} from "./scales";

/** Framework names as users and prompts write them. */
export const frameworkLabels: Record<Framework, string> = { rice: "RICE", ice: "ICE", wsjf: "WSJF" };

export interface StalenessRule {
  /** An import or AI value older than this many days is proposed again; null never ages a value. */
  staleAfterDays: number | null;
  now: Date;
}

/**
 * Choose the inputs of a framework the model should propose for one item: the missing ones, the
 * ones whose value is off the scale, and the stale ones. A value is stale when it came from an
 * import or an accepted AI proposal and is older than `staleAfterDays`, or when evidence linked to
 * the item is newer than the value. A PM value is never proposed again: the PM decided it.
 */
export function selectInputsToPropose(params: {
  framework: Framework;
  inputs: EffectiveInputs;
  rule: StalenessRule;
  /** Creation time of the newest document linked to the item, if any. */
  latestEvidenceAt: Date | null;
}): InputName[] {
  const { rule } = params;
  const ageLimit = rule.staleAfterDays === null ? null : rule.now.getTime() - rule.staleAfterDays * 86_400_000;

  return inputsOfFramework(params.framework).filter((name) => {
    const current = params.inputs[name];
    if (!current || !isValidInputValue(name, current.value)) return true;
    if (current.source === "pm") return false;
    const effectiveAt = current.effectiveAt.getTime();
    if (ageLimit !== null && effectiveAt < ageLimit) return true;
    return params.latestEvidenceAt !== null && params.latestEvidenceAt.getTime() > effectiveAt;
  });
}

/** One item of a prioritization batch: what to propose for it, fixed when the run is planned. */
export interface PlannedItem {
  itemId: string;
  /** Short id shown to the model: the external id such as `A01`, else `#12`. */
  ref: string;
  propose: InputName[];
}

/** The stored input of one batch: items of one theme, or one part of a large theme. */
export interface PrioritizationBatchInput {
  theme: string | null;
  /** Part number from 1, of `parts`, when a theme has more items than a batch takes. */
  part: number;
  parts: number;
  items: PlannedItem[];
}

export interface PlanningItem extends PlannedItem {
  number: number;
  theme: string | null;
}

/** Label of the batches of items without a theme; the UI translates batches by their `theme: null`. */
export const NO_THEME_LABEL = "No theme";

/**
 * Group items by theme (themes by name, items without a theme last) and cut each theme into
 * batches of at most `maxItemsPerBatch` items, by item number. A theme's items stay together so
 * the model compares like with like, and the cap keeps each prompt and answer small.
 */
export function planThemeBatches(
  items: readonly PlanningItem[],
  maxItemsPerBatch: number,
): PlannedBatch<PrioritizationBatchInput>[] {
  const byTheme = new Map<string | null, PlanningItem[]>();
  for (const item of items) {
    const list = byTheme.get(item.theme) ?? [];
    list.push(item);
    byTheme.set(item.theme, list);
  }
  const themes = [...byTheme.keys()].sort((a, b) => {
    if (a === null) return b === null ? 0 : 1;
    if (b === null) return -1;
    return a.localeCompare(b, "en");
  });

  const batches: PlannedBatch<PrioritizationBatchInput>[] = [];
  for (const theme of themes) {
    const themeItems = (byTheme.get(theme) ?? []).sort((a, b) => a.number - b.number);
    const parts = Math.ceil(themeItems.length / maxItemsPerBatch);
    for (let part = 1; part <= parts; part++) {
      const slice = themeItems.slice((part - 1) * maxItemsPerBatch, part * maxItemsPerBatch);
      const name = theme ?? NO_THEME_LABEL;
      batches.push({
        label: parts > 1 ? `${name} (${part}/${parts})` : name,
        input: {
          theme,
          part,
          parts,
          items: slice.map(({ itemId, ref, propose }) => ({ itemId, ref, propose })),
        },
      });
    }
  }
  return batches;
}

/**
 * Build the prompt's list of inputs to propose, one line each with its allowed values and unit,
 * in `language`, a tag such as `fr` (see `localizeUnit`).
 */
export function describeInputsToPropose(names: readonly InputName[], language: string): string {
  return names
    .map((name) => {
      const unit = localizeUnit(name, language);
      const suffix = unit ? ` (${unit})` : "";
      return `- ${name}: ${describeScale(name, language)}${suffix}`;
    })
    .join("\n");
}

/** The language's own name for a tag (`fr` → `français`), as the prompt asks rationales in it. */
export function describeLanguage(tag: string): string {
  try {
    const name = new Intl.DisplayNames([tag], { type: "language" }).of(tag);
    if (name && name !== tag) return name;
  } catch {
    // An unknown or malformed tag: fall back to the tag itself, which models still understand.
  }
  return tag;
}

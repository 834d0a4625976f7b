import { type InputName, inputDefinitions, inputNames, isValidInputValue } from "@/lib/prioritization/scales";
import type { FeedbackSummary, InputProposal, ItemSuggestions, PrioritizationProposals } from "@/lib/tasks/schemas";
import { blockRecords, type DataBlock, type JsonRecord, readString, readStringArray } from "./blocks";
import { pick, randomFor } from "./random";
import { rankKeywords, significantWords, truncateText, words } from "./text";

/**
 * Plausible answers for Rankwise's own tasks, built from the prompt's data blocks: values on the
 * inputs' scales, rationales that name the item, and evidence ids taken only from the prompt.
 */

interface Snippet {
  id: string;
  text: string;
}

/** Evidence and feedback objects present in the prompt, by id. */
function collectSnippets(blocks: readonly DataBlock[]): Map<string, Snippet> {
  const snippets = new Map<string, Snippet>();
  for (const tag of ["evidence", "feedback", "documents"]) {
    for (const record of blockRecords(blocks, tag)) {
      const id = readString(record, "id");
      if (id) snippets.set(id, { id, text: readString(record, "text", "content", "summary") ?? "" });
    }
  }
  return snippets;
}

const isInputName = (name: string): name is InputName => (inputNames as string[]).includes(name);

export function generateProposals(blocks: readonly DataBlock[], seed: number): PrioritizationProposals {
  const snippets = collectSnippets(blocks);
  const hasEvidenceBlock = blocks.some((block) => ["evidence", "feedback", "documents"].includes(block.tag));
  const items = blockRecords(blocks, "backlog_items");

  return {
    items: items.flatMap((item) => {
      const itemId = readString(item, "id", "item_id");
      if (!itemId) return [];
      const cited = readStringArray(item, "evidence_ids").filter((id) => !hasEvidenceBlock || snippets.has(id));
      const missing = [...new Set(readStringArray(item, "missing"))].filter(isInputName);
      return [{ item_id: itemId, proposals: missing.map((input) => proposeInput(item, itemId, input, cited, seed)) }];
    }),
  };
}

function proposeInput(
  item: JsonRecord,
  itemId: string,
  input: InputName,
  cited: string[],
  seed: number,
): InputProposal {
  const title = truncateText(readString(item, "title") ?? itemId, 80);
  if (cited.length === 0) {
    return {
      input,
      value: null,
      rationale: `No evidence in the prompt supports a ${input} estimate for ${itemId} "${title}", so a PM should set it.`,
      evidence_ids: [],
      insufficient_evidence: true,
    };
  }

  const random = randomFor(seed, itemId, input, title);
  const value = proposeValue(input, cited.length, random);
  const ids = cited.slice(0, 10);
  const unit = "unit" in inputDefinitions[input] ? ` ${inputDefinitions[input].unit}` : "";
  const count = cited.length === 1 ? "1 evidence item" : `${cited.length} evidence items`;
  return {
    input,
    value,
    rationale: `${itemId} "${title}": ${count} (${ids.slice(0, 3).join(", ")}) ${inputReasons[input]}, so ${input} is ${value}${unit}.`,
    evidence_ids: ids,
    insufficient_evidence: false,
  };
}

const inputReasons: Record<InputName, string> = {
  reach: "show how many people ask for it",
  impact: "describe how much it matters to them",
  confidence: "set how sure this estimate can be",
  effort: "suggest the scope of the work",
  ice_impact: "describe how much it matters",
  ice_confidence: "set how sure this estimate can be",
  ice_ease: "suggest how hard it is to build",
  business_value: "describe its value to customers",
  time_criticality: "show how urgent it is",
  risk_reduction: "show the risk it removes",
  job_size: "suggest the size of the job",
};

/** Propose a value on the input's scale that grows with the amount of evidence, varied by the seed. */
function proposeValue(input: InputName, evidenceCount: number, random: () => number): number {
  const strength = Math.min(evidenceCount, 4);
  const jitter = Math.floor(random() * 2);
  const definition = inputDefinitions[input];
  let value: number;
  if (input === "reach") {
    value = pick(random, [200, 500, 1000, 2000, 5000, 10_000].slice(strength - 1, strength + 2));
  } else if (input === "effort") {
    value = pick(random, [0.5, 1, 2, 3, 5, 8]);
  } else if (input === "confidence") {
    value = 50;
    if (strength === 2) value = 80;
    if (strength >= 3) value = 100;
  } else if (input === "ice_ease" || input === "job_size") {
    const scale = definition.scale;
    value = scale.kind === "set" ? pick(random, scale.values.slice(0, 5)) : 3 + Math.floor(random() * 5);
  } else if (definition.scale.kind === "set") {
    const values = definition.scale.values;
    value = values[Math.min(values.length - 1, strength - 1 + jitter)] as number;
  } else {
    const { min, max } = definition.scale;
    value = Math.min(max, Math.max(min, 2 + strength * 2 - jitter));
  }
  return isValidInputValue(input, value) ? value : fallbackValue(input);
}

function fallbackValue(input: InputName): number {
  const scale = inputDefinitions[input].scale;
  return scale.kind === "set" ? (scale.values[0] as number) : scale.min;
}

/** Feedback and evidence snippets with text, once per id. */
function feedbackSnippets(blocks: readonly DataBlock[]): Snippet[] {
  return [...collectSnippets(blocks).values()].filter((snippet) => snippet.text);
}

function idsMentioning(snippets: readonly Snippet[], word: string): string[] {
  return snippets.filter((snippet) => words(snippet.text).includes(word)).map((snippet) => snippet.id);
}

export function generateFeedbackSummary(blocks: readonly DataBlock[]): FeedbackSummary {
  const snippets = feedbackSnippets(blocks);
  const themeBlock = blocks.find((block) => block.tag === "theme");
  const keywords = rankKeywords(
    snippets.map((snippet) => snippet.text),
    4,
  );
  const theme =
    (typeof themeBlock?.value === "string" ? themeBlock.value : themeBlock?.raw.trim()) ||
    keywords[0]?.word ||
    "general";

  if (snippets.length === 0) {
    return {
      theme,
      summary: "No feedback snippets were given for this theme.",
      asks: [],
      snippet_count: 0,
      affected: "",
    };
  }
  const topics = keywords.map((keyword) => keyword.word);
  return {
    theme,
    summary: `${snippets.length} feedback snippets about ${theme}. The most frequent topics are ${topics.join(", ")}.`,
    asks: keywords.map((keyword) => ({
      text: `Address the feedback about ${keyword.word} (${keyword.count} of ${snippets.length} snippets).`,
      evidence_ids: idsMentioning(snippets, keyword.word).slice(0, 10),
    })),
    snippet_count: snippets.length,
    affected: `People who wrote about ${topics.slice(0, 2).join(" and ")}.`,
  };
}

export function generateItemSuggestions(blocks: readonly DataBlock[]): ItemSuggestions {
  const snippets = feedbackSnippets(blocks);
  const existing = blockRecords(blocks, "existing_items");
  const covered = new Set(existing.flatMap((item) => significantWords(`${readString(item, "title") ?? ""}`)));
  const theme = readString(existing[0] ?? {}, "theme") ?? "Feedback";

  const uncovered = rankKeywords(
    snippets.map((snippet) => snippet.text),
    20,
  ).filter((keyword) => !covered.has(keyword.word));

  return {
    suggestions: uncovered.slice(0, 3).map((keyword) => {
      const ids = idsMentioning(snippets, keyword.word).slice(0, 10);
      return {
        title: `Address feedback about ${keyword.word}`,
        description: `${ids.length === 1 ? "1 feedback snippet mentions" : `${ids.length} feedback snippets mention`} ${keyword.word}, and no existing backlog item covers it.`,
        theme: truncateText(theme, 100),
        evidence_ids: ids,
      };
    }),
  };
}

import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { describeScale, type InputName, inputDefinitions, inputNames, localizeUnit } from "@/lib/prioritization/scales";
import { outputSchemas } from "@/lib/tasks/schemas";
import { defaultPromptsDir, PromptFilesError, readPromptDirectory, writePromptDirectory } from "./files";
import type { PromptDefinition } from "./manifest";
import { renderPromptContent } from "./render";

const expectedPrompts = {
  prioritizer: {
    outputSchema: "prioritization_proposals",
    variables: ["framework", "inputs_to_propose", "backlog_items", "evidence", "language_name"],
    jsonBlocks: ["backlog_items", "evidence"],
  },
  explainer: {
    outputSchema: null,
    variables: ["question", "ranking", "sources", "language_name"],
    jsonBlocks: ["ranking", "sources"],
  },
  summarizer: { outputSchema: "feedback_summary", variables: ["theme", "feedback"], jsonBlocks: ["feedback"] },
  generator: {
    outputSchema: "item_suggestions",
    variables: ["theme", "feedback", "existing_items"],
    jsonBlocks: ["feedback", "existing_items"],
  },
} as const;

const languages = ["en", "fr"];

let shipped: Map<string, PromptDefinition>;

beforeAll(async () => {
  shipped = new Map((await readPromptDirectory(defaultPromptsDir)).map((definition) => [definition.key, definition]));
});

function samples(definition: PromptDefinition): Record<string, unknown> {
  return Object.fromEntries(definition.variables.map((variable) => [variable.name, variable.sample]));
}

function shippedPrompt(key: string): PromptDefinition {
  const definition = shipped.get(key);
  if (!definition) throw new Error(`prompt ${key} is not shipped`);
  return definition;
}

/** Extract the text between `<tag>` and `</tag>`, provided both tags are on lines of their own. */
function block(text: string, tag: string): string | undefined {
  const match = new RegExp(`(?:^|\\n)<${tag}>\\n([\\s\\S]*?)\\n</${tag}>(?:\\n|$)`).exec(text);
  return match?.[1];
}

describe("shipped prompt files", () => {
  it("contain exactly the expected keys", () => {
    expect([...shipped.keys()].sort()).toEqual(Object.keys(expectedPrompts).sort());
  });

  describe.each(Object.entries(expectedPrompts))("%s", (key, expected) => {
    it("declares the expected variables", () => {
      expect(shippedPrompt(key).variables.map((variable) => variable.name)).toEqual(expected.variables);
    });

    it("names its output schema", () => {
      const { outputSchema } = shippedPrompt(key);

      expect(outputSchema).toBe(expected.outputSchema);
      if (outputSchema) expect(outputSchemas[outputSchema]).toBeDefined();
    });

    it("ships English and French", () => {
      expect(Object.keys(shippedPrompt(key).languages).sort()).toEqual(languages);
    });

    it.each(languages)("renders %s strictly with the sample values", (language) => {
      const definition = shippedPrompt(key);
      const content = definition.languages[language];
      if (!content) throw new Error(`no ${language} content`);

      const [system, user] = renderPromptContent(content, samples(definition));

      expect(system.content.length).toBeGreaterThan(200);
      for (const name of expected.variables) {
        expect(`${system.content}\n${user.content}`).not.toMatch(new RegExp(`\\$(${name}\\b|\\{${name}\\})`));
      }
    });

    it.each(languages)("%s puts each JSON data block on its own lines", (language) => {
      const definition = shippedPrompt(key);
      const content = definition.languages[language];
      if (!content) throw new Error(`no ${language} content`);
      const [, user] = renderPromptContent(content, samples(definition));

      for (const tag of expected.jsonBlocks) {
        const data = block(user.content, tag);
        expect(data, `<${tag}> block`).toBeDefined();
        expect(() => JSON.parse(data ?? ""), `<${tag}> content`).not.toThrow();
      }
    });

    it.each(languages)("%s system prompt marks every tag as data", (language) => {
      const content = shippedPrompt(key).languages[language];
      if (!content) throw new Error(`no ${language} content`);

      for (const tag of content.userTemplate.match(/^<([a-z_]+)>$/gm) ?? []) {
        expect(content.systemText).toContain(tag);
      }
      expect(content.systemText).toMatch(/ignore/i);
    });

    it.each(languages)("%s mentions JSON when the answer is structured", (language) => {
      const content = shippedPrompt(key).languages[language];
      if (!content) throw new Error(`no ${language} content`);

      if (expected.outputSchema) expect(`${content.systemText}\n${content.userTemplate}`).toContain("JSON");
    });
  });

  it.each(languages)("prioritizer %s lists every input's allowed values", (language) => {
    const systemText = shippedPrompt("prioritizer").languages[language]?.systemText ?? "";

    for (const name of inputNames) {
      expect(systemText, name).toContain(name);
      const scale = inputDefinitions[name as InputName].scale;
      const values = scale.kind === "set" ? scale.values : [scale.min, scale.max];
      for (const value of values) expect(systemText, `${name}: ${describeScale(name)}`).toContain(String(value));
    }
  });

  it.each(languages)("prioritizer %s names the effort unit", (language) => {
    const systemText = shippedPrompt("prioritizer").languages[language]?.systemText ?? "";
    const unit = localizeUnit("effort", language);
    if (!unit) throw new Error("effort has no unit");

    // The word boundary keeps a variant spelling such as a plural from passing.
    expect(systemText).toMatch(new RegExp(`${unit}\\b`));
  });

  it("keeps user data containing $ literal", () => {
    const definition = shippedPrompt("prioritizer");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the value imitates template syntax on purpose.
    const evidence = [{ id: "AF013", text: "filters such as sales_region = ${user.region} and $amount or $&" }];
    const content = definition.languages.en;
    if (!content) throw new Error("no en content");

    const [, user] = renderPromptContent(content, { ...samples(definition), evidence });

    expect(JSON.parse(block(user.content, "evidence") ?? "")).toEqual(evidence);
  });
});

describe("readPromptDirectory", () => {
  let dir: string;

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function writeBrokenCopy(change: (definition: PromptDefinition) => void): Promise<void> {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "rankwise-prompts-"));
    const definition = structuredClone(shippedPrompt("generator"));
    change(definition);
    await writePromptDirectory(dir, [definition]);
  }

  async function readProblems(): Promise<string[]> {
    try {
      await readPromptDirectory(dir);
    } catch (error) {
      if (error instanceof PromptFilesError) return error.problems;
      throw error;
    }
    return [];
  }

  it("rejects a French template that forgets a variable", async () => {
    await writeBrokenCopy((definition) => {
      const french = definition.languages.fr;
      if (french) french.userTemplate = french.userTemplate.replace("$existing_items", "(aucun)");
    });

    const problems = await readProblems();

    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("generator_fr.txt");
    expect(problems[0]).toContain("$existing_items");
  });

  it("rejects an invalid placeholder with its position", async () => {
    await writeBrokenCopy((definition) => {
      const english = definition.languages.en;
      if (english) english.userTemplate = `Budget: $5\n${english.userTemplate}`;
    });

    const problems = await readProblems();

    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("line 1, column 9");
  });

  it("rejects a prompt without English", async () => {
    await writeBrokenCopy((definition) => {
      delete definition.languages.en;
    });

    const problems = await readProblems();

    expect(problems.some((problem) => problem.includes("no en texts"))).toBe(true);
  });

  it("rejects a text file without its pair", async () => {
    await writeBrokenCopy(() => {});
    await fs.rm(path.join(dir, "user", "generator_fr.txt"));

    const problems = await readProblems();

    expect(problems).toEqual([`${path.join(path.basename(dir), "user", "generator_fr.txt")}: missing`]);
  });
});

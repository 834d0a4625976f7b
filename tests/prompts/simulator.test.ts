import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimulatorHandle } from "@/lib/ai/simulator";
import { startSimulator } from "@/lib/ai/simulator";
import type { PromptDefinition } from "@/lib/prompts/manifest";
import { renderPromptContent } from "@/lib/prompts/render";
import { outputSchemas } from "@/lib/tasks/schemas";
import { readShippedPrompts } from "./support";

// The simulator reads the data blocks of the shipped prompts as a model would read the data, so
// these tests check that the prompts follow the data-block contract end to end.

let simulator: SimulatorHandle;
let prompts: PromptDefinition[];

beforeAll(async () => {
  simulator = await startSimulator({ ttftMs: 0, tokensPerSecond: 0 });
  prompts = await readShippedPrompts();
});

afterAll(async () => {
  await simulator.close();
});

function promptNamed(key: string): PromptDefinition {
  const found = prompts.find((definition) => definition.key === key);
  if (!found) throw new Error(`no prompt ${key}`);
  return found;
}

async function complete(definition: PromptDefinition, language: string): Promise<string> {
  const content = definition.languages[language];
  if (!content) throw new Error(`no ${language} content`);
  const variables = Object.fromEntries(definition.variables.map((variable) => [variable.name, variable.sample]));
  const messages = renderPromptContent(content, variables);
  const responseFormat = definition.outputSchema
    ? { type: "json_schema", json_schema: { name: definition.outputSchema, schema: {} } }
    : undefined;

  const response = await fetch(`${simulator.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer test" },
    body: JSON.stringify({ model: "sim", messages, response_format: responseFormat }),
  });
  const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
  return body.choices[0]?.message.content ?? "";
}

describe("shipped prompts with the simulator", () => {
  it.each([
    ["prioritizer", "en"],
    ["prioritizer", "fr"],
    ["summarizer", "en"],
    ["summarizer", "fr"],
    ["generator", "en"],
    ["generator", "fr"],
  ])("%s %s output passes its schema", async (key, language) => {
    const definition = promptNamed(key);
    const schemaName = definition.outputSchema;
    if (!schemaName) throw new Error(`${key} has no output schema`);

    const text = await complete(definition, language);

    expect(outputSchemas[schemaName].safeParse(JSON.parse(text)).success).toBe(true);
  });

  it("prioritizer proposals cover the sample items", async () => {
    const output = JSON.parse(await complete(promptNamed("prioritizer"), "en")) as {
      items: Array<{ item_id: string }>;
    };

    expect(output.items.map((item) => item.item_id)).toEqual(["A01", "A07"]);
  });

  it("explainer answer cites a numbered source", async () => {
    const answer = await complete(promptNamed("explainer"), "en");

    expect(answer).toContain("A02");
    expect(answer).toMatch(/\[[12]\]/);
  });
});

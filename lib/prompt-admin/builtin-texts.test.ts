import { describe, expect, it } from "vitest";
import { defaultPromptsDir, readPromptDirectory } from "@/lib/prompts/files";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { type BuiltInTextTranslator, localizePromptTexts } from "./builtin-texts";

/** Build a translator over one catalog's `promptAdmin.builtIn` texts. */
function translatorOf(catalog: typeof en): BuiltInTextTranslator {
  const lookup = (path: string): unknown =>
    path
      .split(".")
      .reduce<unknown>(
        (node, part) => (node as Record<string, unknown> | undefined)?.[part],
        catalog.promptAdmin.builtIn,
      );
  const translate = ((path: string) => String(lookup(path))) as BuiltInTextTranslator;
  translate.has = (path) => typeof lookup(path) === "string";
  return translate;
}

const translators = { current: translatorOf(fr as typeof en), english: translatorOf(en) };

describe("localizePromptTexts", () => {
  it("translates every shipped prompt text into French", async () => {
    for (const { key, description, variables } of await readPromptDirectory(defaultPromptsDir)) {
      const localized = localizePromptTexts({ key, description, variables }, translators);

      expect(localized.description, `${key} description`).not.toBe(description);
      for (const [index, variable] of localized.variables.entries()) {
        expect(variable.description, `${key}.${variable.name}`).not.toBe(variables[index]?.description);
      }
    }
  });

  it("keeps a description an admin changed", () => {
    const prompt = { key: "explainer", description: "Our own words." };

    expect(localizePromptTexts(prompt, translators).description).toBe("Our own words.");
  });

  it("keeps the text of an unknown prompt", () => {
    const prompt = { key: "custom", description: "A prompt of our own." };

    expect(localizePromptTexts(prompt, translators).description).toBe("A prompt of our own.");
  });
});

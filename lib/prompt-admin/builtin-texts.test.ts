import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import type { Locale } from "@/lib/i18n/locales";
import { loadRequestConfig } from "@/lib/i18n/request-config";
import { defaultPromptsDir, readPromptDirectory } from "@/lib/prompts/files";
import fr from "@/messages/fr.json";
import { type BuiltInTextTranslator, localizePromptTexts } from "./builtin-texts";

/**
 * Build the translators that `getBuiltInTextTranslators` gets from next-intl for a request whose
 * user reads French. As next-intl does, each translator takes its configuration from the request
 * configuration, which receives the locale that `getTranslations({ locale })` names.
 */
async function frenchRequestTranslators() {
  const translatorFor = async (requested?: Locale) => {
    const config = await loadRequestConfig(requested, async () => "fr");
    return createTranslator({ ...config, namespace: "promptAdmin.builtIn" }) as unknown as BuiltInTextTranslator;
  };
  return { current: await translatorFor(), english: await translatorFor("en") };
}

describe("localizePromptTexts", () => {
  it("translates every shipped prompt text into French", async () => {
    const translators = await frenchRequestTranslators();

    for (const { key, description, variables } of await readPromptDirectory(defaultPromptsDir)) {
      const localized = localizePromptTexts({ key, description, variables }, translators);

      expect(localized.description, `${key} description`).not.toBe(description);
      for (const [index, variable] of localized.variables.entries()) {
        expect(variable.description, `${key}.${variable.name}`).not.toBe(variables[index]?.description);
      }
    }
  });

  it("shows the French explainer texts", async () => {
    const translators = await frenchRequestTranslators();
    const explainer = (await readPromptDirectory(defaultPromptsDir)).find((prompt) => prompt.key === "explainer");
    if (!explainer) throw new Error("prompts/explainer.json is missing");

    const localized = localizePromptTexts(explainer, translators);

    expect(localized.description).toBe(fr.promptAdmin.builtIn.explainer.description);
    expect(localized.variables.find((variable) => variable.name === "ranking")?.description).toBe(
      fr.promptAdmin.builtIn.explainer.variables.ranking,
    );
  });

  it("keeps a description an admin changed", async () => {
    const prompt = { key: "explainer", description: "Our own words." };

    expect(localizePromptTexts(prompt, await frenchRequestTranslators()).description).toBe("Our own words.");
  });

  it("keeps the text of an unknown prompt", async () => {
    const prompt = { key: "custom", description: "A prompt of our own." };

    expect(localizePromptTexts(prompt, await frenchRequestTranslators()).description).toBe("A prompt of our own.");
  });
});

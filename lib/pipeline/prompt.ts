import { AppError } from "@/lib/errors";
import type { PromptCache } from "@/lib/prompts/cache";
import { renderPrompt } from "@/lib/prompts/render";
import type { RenderTaskPrompt } from "./deps";

/**
 * Render a task's prompt from the published versions in the prompt cache, in the shape the
 * structured call sends. A prompt that declares another output schema than the task is rejected,
 * because its instructions would describe fields the validator does not accept.
 */
export function createPromptRenderer(options: { cache?: PromptCache } = {}): RenderTaskPrompt {
  return async ({ promptKey, language, variables, outputSchemaName }) => {
    const rendered = renderPrompt({ key: promptKey, language, variables }, options.cache);
    if (rendered.outputSchemaName && outputSchemaName && rendered.outputSchemaName !== outputSchemaName) {
      throw new AppError(
        500,
        "prompt_schema_mismatch",
        `Prompt ${promptKey} declares the output schema ${rendered.outputSchemaName}, but the task validates ${outputSchemaName}. Change the prompt's manifest or the task.`,
      );
    }
    const { temperature, topP, frequencyPenalty, presencePenalty, maxOutputTokens } = rendered.parameters;
    return {
      promptKey,
      language: rendered.language,
      version: {
        versionId: rendered.versionId,
        versionNumber: rendered.versionNumber,
        source: rendered.source,
        ...(rendered.fallbackFrom ? { fallbackFrom: rendered.fallbackFrom } : {}),
      },
      role: rendered.modelRole,
      messages: [...rendered.messages],
      parameters: { temperature, topP, frequencyPenalty, presencePenalty, maxTokens: maxOutputTokens },
    };
  };
}

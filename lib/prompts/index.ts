// Public API of the prompt engine: rendering from the cache, loading and syncing the cache, the
// store (drafts, versions, publication) and the file sync.
export {
  type CachedPrompt,
  type CachedPromptVersion,
  getPromptCache,
  loadPromptCache,
  loadPromptCacheFromDefinitions,
  PromptCache,
  type PromptCacheSnapshot,
} from "./cache";
export { type PromptEngine, type StartPromptEngineOptions, startPromptEngine } from "./engine";
export {
  exportPromptFiles,
  type ImportSummary,
  importPromptDefinitions,
  importPromptFiles,
  importPromptFilesIfEmpty,
  readPublishedDefinitions,
} from "./file-sync";
export { defaultPromptsDir, PromptFilesError, readPromptDirectory, writePromptDirectory } from "./files";
export {
  FALLBACK_LANGUAGE,
  type ModelRole,
  type PromptContent,
  type PromptDefinition,
  type PromptManifest,
  type PromptVariable,
} from "./manifest";
export {
  type ParameterPreset,
  type ParameterSettings,
  parameterPresets,
  parameterSettingsSchema,
  type ResolvedParameters,
  resolveParameters,
} from "./parameters";
export {
  normalizeLanguage,
  type PromptMessages,
  type RenderedPrompt,
  type RenderPromptRequest,
  renderPrompt,
  renderPromptContent,
} from "./render";
export {
  type PublicationResult,
  type PublishPromptVersionParams,
  publishPromptVersion,
  publishPromptVersionSchema,
  rollbackPrompt,
  type SavePromptDraftParams,
  type SavePromptVersionParams,
  savePromptDraft,
  savePromptDraftSchema,
  savePromptVersion,
  savePromptVersionSchema,
  type VersionSummary,
} from "./store";
export { type PromptCacheSync, type PromptCacheSyncOptions, startPromptCacheSync } from "./sync";
export { safeSubstitute, substitute, templateVariables } from "./template";
export { findPromptIssues, type PromptIssue } from "./validation";

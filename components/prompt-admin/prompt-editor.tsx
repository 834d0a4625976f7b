"use client";

import { useTranslations } from "next-intl";
import { useCallback, useState } from "react";
import { Alert } from "@/components/ui/alert";
import type { PromptPreview } from "@/lib/prompt-admin/preview";
import { callApi, promptUrl } from "./api";
import { applyStoredState, loadPane, type PaneState, toEditorLanguages } from "./editor-state";
import { GateToggle } from "./gate-toggle";
import { LanguagePane } from "./language-pane";
import { PreviewPanel } from "./preview-panel";
import { TestPanel } from "./test-panel";
import type { EditorData, EditorLanguage, TestCaseView } from "./types";
import { VariablesPanel } from "./variables-panel";

/**
 * Render the prompt editor: two languages side by side (any pair), the declared variables, the
 * preview of either side, and the test cases. Each side keeps its own text until it is saved, so a
 * conflict never overwrites what an editor typed.
 */
export function PromptEditor({ initial, left, right }: { initial: EditorData; left: string; right: string }) {
  const t = useTranslations("promptAdmin.editor");
  const tLanguages = useTranslations("promptAdmin.languages");
  const [languages, setLanguages] = useState<EditorLanguage[]>(initial.languages);
  const [cases, setCases] = useState<TestCaseView[]>(initial.cases);
  const [gateOn, setGateOn] = useState(initial.gateOn);
  const [panes, setPanes] = useState<[PaneState, PaneState]>(() => [
    loadPane(findLanguage(initial.languages, left), left),
    loadPane(findLanguage(initial.languages, right), right),
  ]);
  const [variables, setVariables] = useState<Record<string, unknown>>({});
  const [preview, setPreview] = useState<{ language: string; result: PromptPreview } | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [addedLanguages, setAddedLanguages] = useState<string[]>([]);
  const languageCodes = [...new Set([...languages.map((entry) => entry.language), ...addedLanguages])];
  const { prompt } = initial;

  const refresh = useCallback(async () => {
    const detail = await callApi<{ languages: Parameters<typeof toEditorLanguages>[0]; cases: TestCaseView[] }>(
      promptUrl(prompt.key),
    );
    const fresh = toEditorLanguages(detail.languages);
    setLanguages(fresh);
    return fresh;
  }, [prompt.key]);

  // Reads the stored state after a write of one side and applies it with that side's saved text.
  const storeSaved = useCallback(
    async (side: 0 | 1, savedContent: PaneState["content"]) => {
      const detail = await callApi<{ languages: Parameters<typeof toEditorLanguages>[0] }>(promptUrl(prompt.key));
      const fresh = toEditorLanguages(detail.languages);
      // The functional update rebases the pane as it is now, not as it was when the write started.
      setPanes(
        (current) => applyStoredState({ languages: fresh, panes: current }, { side, fresh, savedContent }).panes,
      );
      setLanguages(fresh);
      return fresh;
    },
    [prompt.key],
  );

  const setPane = (side: 0 | 1) => (pane: PaneState) =>
    setPanes((current) => (side === 0 ? [pane, current[1]] : [current[0], pane]));

  async function showPreview(pane: PaneState) {
    setPreviewError(null);
    try {
      const result = await callApi<PromptPreview>(promptUrl(prompt.key, "/preview"), {
        method: "POST",
        body: { language: pane.language, ...pane.content, variables },
      });
      setPreview({ language: pane.language, result });
    } catch (error) {
      setPreviewError(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <div className="flex flex-col gap-6">
      <GateToggle promptKey={prompt.key} on={gateOn} onChange={setGateOn} canEdit={initial.canEdit} />
      <div className="grid gap-4 xl:grid-cols-2">
        {([0, 1] as const).map((side) => (
          <LanguagePane
            key={side}
            prompt={prompt}
            viewerId={initial.viewerId}
            data={findLanguage(languages, panes[side].language)}
            pane={panes[side]}
            setPane={setPane(side)}
            other={panes[side === 0 ? 1 : 0]}
            languages={languageCodes}
            canEdit={initial.canEdit}
            gateOn={gateOn}
            refresh={refresh}
            onSaved={(savedContent) => storeSaved(side, savedContent)}
            onPreview={() => showPreview(panes[side])}
            onLanguageChange={(language) => setPane(side)(loadPane(findLanguage(languages, language), language))}
            onAddLanguage={(language) => {
              // A new language starts as a copy of the other side, ready to translate.
              const other = panes[side === 0 ? 1 : 0];
              setAddedLanguages((current) => [...new Set([...current, language])]);
              setPane(side)({ ...loadPane(undefined, language), content: other.content });
            }}
          />
        ))}
      </div>
      {previewError ? <Alert tone="error">{previewError}</Alert> : null}
      {preview ? (
        <PreviewPanel
          preview={preview.result}
          languageName={tLanguages.has(preview.language) ? tLanguages(preview.language) : preview.language}
        />
      ) : (
        <p className="text-sm text-slate-600">{t("previewHint")}</p>
      )}
      <VariablesPanel variables={prompt.variables} values={variables} onChange={setVariables} />
      <TestPanel
        promptKey={prompt.key}
        freeText={prompt.outputSchema === null}
        cases={cases}
        onCasesChange={setCases}
        languages={languageCodes}
        panes={panes.map((pane) => ({ language: pane.language, content: pane.content }))}
        canEdit={initial.canEdit}
      />
    </div>
  );
}

function findLanguage(languages: EditorLanguage[], language: string): EditorLanguage | undefined {
  return languages.find((entry) => entry.language === language);
}

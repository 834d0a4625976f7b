import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { toEditorLanguages } from "@/components/prompt-admin/editor-state";
import { PromptEditor } from "@/components/prompt-admin/prompt-editor";
import type { EditorData } from "@/components/prompt-admin/types";
import { requirePageCapability } from "@/components/shell/session";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { hasCapability } from "@/lib/auth/roles";
import { getBuiltInTextTranslators, localizePromptTexts } from "@/lib/prompt-admin/builtin-texts";
import { loadEditorData, pickLanguagePair } from "@/lib/prompt-admin/editor-data";

type Props = { params: Promise<{ key: string }>; searchParams: Promise<{ left?: string; right?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await getTranslations("promptAdmin.pages"))("editorTitle", { key: (await params).key }) };
}

/**
 * Show the editor of one prompt. Roles without `readPrompts` get the 403 page, and roles without
 * `editPrompts` see it read-only.
 */
export default async function PromptEditorPage({ params, searchParams }: Props) {
  const actor = await requirePageCapability("readPrompts");
  const { key } = await params;
  const loaded = await loadEditorData(await getDb(), key);
  if (!loaded) notFound();
  const data = { ...loaded, prompt: localizePromptTexts(loaded.prompt, await getBuiltInTextTranslators()) };
  const t = await getTranslations("promptAdmin.pages");
  const [left, right] = pickLanguagePair(data.languages, await searchParams);

  const initial: EditorData = {
    viewerId: actor.userId,
    prompt: {
      key: data.prompt.key,
      description: data.prompt.description,
      modelRole: data.prompt.modelRole,
      outputSchema: data.prompt.outputSchema,
      variables: data.prompt.variables,
    },
    languages: toEditorLanguages(data.languages),
    cases: data.cases.map(({ id, name, language, variables, assertions }) => ({
      id,
      name,
      language,
      variables,
      assertions,
    })),
    gateOn: data.gateOn,
    canEdit: hasCapability(actor.role, "editPrompts"),
    isAdmin: actor.role === "admin",
  };

  return (
    <>
      <PageHeader
        title={t("editorTitle", { key })}
        description={data.prompt.description}
        actions={
          <>
            <Link href="/admin/prompts" className={buttonClasses("ghost")}>
              {t("allPrompts")}
            </Link>
            <Link href={`/admin/prompts/${key}/history`} className={buttonClasses("secondary")}>
              {t("history")}
            </Link>
            {initial.canEdit ? (
              <Link href={`/admin/prompts/${key}/fine-tuning`} className={buttonClasses("secondary")}>
                {t("fineTuning")}
              </Link>
            ) : null}
          </>
        }
      />
      <p className="mb-4 text-sm text-slate-600">
        {t("meta", { role: data.prompt.modelRole, schema: data.prompt.outputSchema ?? t("freeText") })}
      </p>
      <PromptEditor initial={initial} left={left} right={right} />
    </>
  );
}

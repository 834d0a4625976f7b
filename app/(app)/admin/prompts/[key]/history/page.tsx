import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { HistoryView } from "@/components/prompt-admin/history-view";
import { requirePageCapability } from "@/components/shell/session";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { hasCapability } from "@/lib/auth/roles";
import { getBuiltInTextTranslators, localizePromptTexts } from "@/lib/prompt-admin/builtin-texts";
import { loadEditorData, pickLanguagePair } from "@/lib/prompt-admin/editor-data";

type Props = { params: Promise<{ key: string }>; searchParams: Promise<{ language?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await getTranslations("promptAdmin.pages"))("historyTitle", { key: (await params).key }) };
}

/**
 * Version history of a prompt, per language, with word diffs and rollback. Roles without
 * `readPrompts` get the 403 page.
 */
export default async function PromptHistoryPage({ params, searchParams }: Props) {
  const actor = await requirePageCapability("readPrompts");
  const { key } = await params;
  const loaded = await loadEditorData(await getDb(), key);
  if (!loaded) notFound();
  const data = { ...loaded, prompt: localizePromptTexts(loaded.prompt, await getBuiltInTextTranslators()) };
  const t = await getTranslations("promptAdmin.pages");
  const [language] = pickLanguagePair(data.languages, { left: (await searchParams).language });

  return (
    <>
      <PageHeader
        title={t("historyTitle", { key })}
        description={data.prompt.description}
        actions={
          <Link href={`/admin/prompts/${key}`} className={buttonClasses("secondary")}>
            {t("backToEditor")}
          </Link>
        }
      />
      <HistoryView
        promptKey={key}
        languages={data.languages.map((state) => state.language)}
        initialLanguage={language}
        canEdit={hasCapability(actor.role, "editPrompts")}
      />
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { FineTuningView } from "@/components/prompt-admin/fine-tuning-view";
import { requirePageCapability } from "@/components/shell/session";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { getPromptByKey } from "@/db/queries/prompts";
import { hasCapability } from "@/lib/auth/roles";
import { getEnv } from "@/lib/env";
import { promptKeySchema } from "@/lib/prompts/manifest";

type Props = { params: Promise<{ key: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await getTranslations("promptAdmin.pages"))("fineTuningTitle", { key: (await params).key }) };
}

/** Fine-tuning data of a prompt: export and validation for editors, jobs for admins. */
export default async function PromptFineTuningPage({ params }: Props) {
  const actor = await requirePageCapability("editPrompts");
  const { key } = await params;
  const prompt = promptKeySchema.safeParse(key).success ? await getPromptByKey(await getDb(), { key }) : undefined;
  if (!prompt) notFound();
  const t = await getTranslations("promptAdmin.pages");

  return (
    <>
      <PageHeader
        title={t("fineTuningTitle", { key })}
        description={t("fineTuningDescription")}
        actions={
          <Link href={`/admin/prompts/${key}`} className={buttonClasses("secondary")}>
            {t("backToEditor")}
          </Link>
        }
      />
      <FineTuningView
        promptKey={key}
        isAdmin={hasCapability(actor.role, "manageModels")}
        defaultMaxTokens={getEnv().FINE_TUNING_MAX_EXAMPLE_TOKENS}
      />
    </>
  );
}

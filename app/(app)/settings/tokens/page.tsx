import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { requirePageCapability } from "@/components/shell/session";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { listApiTokensForUser } from "@/lib/api/tokens";
import { type TokenRow, TokensManager } from "./tokens-manager";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("tokens"))("title") };
}

/** Render the page where users list, create and revoke their personal access tokens for the REST API. */
export default async function TokensPage() {
  const actor = await requirePageCapability("read");
  const tokens = await listApiTokensForUser(await getDb(), { userId: actor.userId });
  const t = await getTranslations("tokens");
  const format = await getFormatter();
  const formatDate = (value: Date | null) =>
    value ? format.dateTime(value, { dateStyle: "medium", timeStyle: "short" }) : null;

  const rows: TokenRow[] = tokens.map((token) => ({
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    createdAt: formatDate(token.createdAt) ?? "",
    lastUsedAt: formatDate(token.lastUsedAt),
    revoked: token.revokedAt !== null,
  }));

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <TokensManager tokens={rows} />
    </>
  );
}

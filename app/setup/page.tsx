import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { AuthCard } from "@/components/shell/auth-card";
import { getDb } from "@/db";
import { countUsers } from "@/db/queries/users";
import { SetupForm } from "./setup-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.setup");
  return { title: t("title") };
}

/** First-run registration: exists only while the database has no user; the account becomes admin. */
export default async function SetupPage() {
  await connection();
  if ((await countUsers(await getDb())) > 0) redirect("/signin");

  const t = await getTranslations("auth.setup");
  return (
    <AuthCard title={t("title")} description={t("description")}>
      <SetupForm />
    </AuthCard>
  );
}

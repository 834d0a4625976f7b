import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AuthCard } from "@/components/shell/auth-card";
import { Alert } from "@/components/ui/alert";
import { getDb } from "@/db";
import { countUsers } from "@/db/queries/users";
import { getActor } from "@/lib/auth/actor";
import { getEnv } from "@/lib/env";
import { toSafeRedirectPath } from "@/lib/http/safe-redirect";
import { SignInForm } from "./sign-in-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.signIn");
  return { title: t("title") };
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string | string[]; signedOut?: string }>;
}) {
  const params = await searchParams;
  const callbackUrl = toSafeRedirectPath(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined);

  if (await getActor()) redirect(callbackUrl);
  if ((await countUsers(await getDb())) === 0) redirect("/setup");

  const t = await getTranslations("auth.signIn");
  return (
    <AuthCard title={t("title")} description={t("description")}>
      {params.signedOut ? <Alert tone="success">{t("signedOut")}</Alert> : null}
      <SignInForm callbackUrl={callbackUrl} lockoutMinutes={Math.ceil(getEnv().SIGN_IN_WINDOW_SECONDS / 60)} />
    </AuthCard>
  );
}

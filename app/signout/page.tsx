import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AuthCard } from "@/components/shell/auth-card";
import { buttonClasses } from "@/components/ui/button";
import { SignOutButton } from "./sign-out-button";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.signOut");
  return { title: t("title") };
}

export default async function SignOutPage() {
  const t = await getTranslations("auth.signOut");

  return (
    <AuthCard title={t("title")} description={t("description")}>
      <div className="flex gap-2">
        <SignOutButton />
        <Link href="/" className={buttonClasses("secondary")}>
          {t("cancel")}
        </Link>
      </div>
    </AuthCard>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";

export function SignOutButton() {
  const t = useTranslations("auth.signOut");
  const router = useRouter();
  const [pending, setPending] = useState(false);

  async function handleClick() {
    setPending(true);
    await signOut({ redirect: false });
    router.replace("/signin?signedOut=1");
    router.refresh();
  }

  return (
    <Button onClick={handleClick} disabled={pending}>
      {pending ? t("submitting") : t("submit")}
    </Button>
  );
}

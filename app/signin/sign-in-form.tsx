"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { classifySignInError, type SignInFailure } from "./sign-in-error";

/** `lockoutMinutes`: the longest wait after too many failed attempts, SIGN_IN_WINDOW_SECONDS in minutes. */
export function SignInForm({ callbackUrl, lockoutMinutes }: { callbackUrl: string; lockoutMinutes: number }) {
  const t = useTranslations("auth.signIn");
  const router = useRouter();
  const [failure, setFailure] = useState<SignInFailure | null>(null);
  const [pending, setPending] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setFailure(null);

    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });

    if (result?.ok && !result.error) {
      router.replace(callbackUrl);
      router.refresh();
      return;
    }
    setFailure(classifySignInError(result?.error));
    setPending(false);
  }

  return (
    <form method="post" onSubmit={handleSubmit} className="flex flex-col gap-4">
      {failure ? <Alert tone="error">{t(`errors.${failure}`, { minutes: lockoutMinutes })}</Alert> : null}
      <TextField label={t("email")} name="email" type="email" autoComplete="username" required />
      <TextField label={t("password")} name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}

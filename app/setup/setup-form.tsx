"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { createFirstAdmin, type FirstAdminInput } from "./actions";

type FieldName = keyof FirstAdminInput;

export function SetupForm() {
  const t = useTranslations("auth.setup");
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, boolean>>>({});

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input: FirstAdminInput = {
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      workspaceName: String(form.get("workspaceName") ?? ""),
    };
    setPending(true);
    setFormError(null);
    setFieldErrors({});

    const result = await createFirstAdmin(input);
    if (!result.ok) {
      const fields = Object.fromEntries((result.error.fields ?? []).map((field) => [field.path, true]));
      setFieldErrors(fields);
      setFormError(result.error.code === "setup_done" ? t("errors.alreadyDone") : t("errors.invalid"));
      setPending(false);
      return;
    }

    const signedIn = await signIn("credentials", { email: input.email, password: input.password, redirect: false });
    router.replace(signedIn?.ok && !signedIn.error ? "/" : "/signin");
    router.refresh();
  }

  return (
    <form method="post" onSubmit={handleSubmit} className="flex flex-col gap-4">
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <TextField
        label={t("name")}
        name="name"
        autoComplete="name"
        required
        error={fieldErrors.name ? t("errors.name") : undefined}
      />
      <TextField
        label={t("email")}
        name="email"
        type="email"
        autoComplete="email"
        required
        error={fieldErrors.email ? t("errors.email") : undefined}
      />
      <TextField
        label={t("password")}
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={8}
        required
        hint={t("passwordHint")}
        error={fieldErrors.password ? t("errors.password") : undefined}
      />
      <TextField
        label={t("workspaceName")}
        name="workspaceName"
        defaultValue={t("workspaceDefault")}
        required
        error={fieldErrors.workspaceName ? t("errors.workspaceName") : undefined}
      />
      <Button type="submit" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}

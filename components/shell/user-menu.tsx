"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import type { UserRole } from "@/db/schema";
import { LocaleSwitch } from "./locale-switch";

const itemClasses =
  "block rounded-md px-2 py-1.5 text-sm text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600";

/**
 * Render the signed-in user's menu: identity and role, language, access tokens and sign-out. A disclosure
 * (button with `aria-expanded`): Escape or a click outside closes it and focus returns to the button.
 */
export function UserMenu({ name, email, role }: { name: string; email: string; role: UserRole }) {
  const t = useTranslations("shell.userMenu");
  const tRoles = useTranslations("roles");
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    function handleKey(event: KeyboardEvent) {
      if (event.key !== "Escape") return;
      setOpen(false);
      buttonRef.current?.focus();
    }
    function handlePointer(event: PointerEvent) {
      if (!containerRef.current?.contains(event.target as Node)) setOpen(false);
    }
    document.addEventListener("keydown", handleKey);
    document.addEventListener("pointerdown", handlePointer);
    return () => {
      document.removeEventListener("keydown", handleKey);
      document.removeEventListener("pointerdown", handlePointer);
    };
  }, [open]);

  return (
    <div ref={containerRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
        className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        <span className="sr-only">{t("open")}</span>
        <span
          aria-hidden="true"
          className="flex size-7 items-center justify-center rounded-full bg-indigo-100 text-indigo-800"
        >
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span>{name}</span>
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute right-0 z-20 mt-2 w-64 rounded-lg border border-slate-200 bg-white p-3 shadow-lg"
      >
        <div className="mb-3 border-b border-slate-100 pb-3">
          <p className="text-sm font-semibold text-slate-900">{name}</p>
          <p className="truncate text-xs text-slate-600">{email}</p>
          <p className="mt-1 text-xs text-slate-600">
            {t.rich("roleLine", {
              role: tRoles(role),
              value: (chunks) => <span data-testid="user-role">{chunks}</span>,
            })}
          </p>
        </div>
        <LocaleSwitch />
        <nav aria-label={t("links")} className="mt-3 flex flex-col border-t border-slate-100 pt-3">
          <Link href="/settings/tokens" className={itemClasses} onClick={() => setOpen(false)}>
            {t("accessTokens")}
          </Link>
          <Link href="/signout" className={itemClasses} onClick={() => setOpen(false)}>
            {t("signOut")}
          </Link>
        </nav>
      </div>
    </div>
  );
}

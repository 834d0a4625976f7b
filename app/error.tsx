"use client";

import { ErrorBoundaryPage } from "@/components/shell/error-boundary";

/**
 * Catches the errors that no nearer `error.tsx` catches: those of the signed-in layout itself and of
 * the pages outside it. Only the root layout is around it, so it provides `main`.
 */
export default function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main>
      <ErrorBoundaryPage error={error} reset={reset} />
    </main>
  );
}

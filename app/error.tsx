"use client";

import { ErrorBoundaryPage } from "@/components/shell/error-boundary";

export default function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorBoundaryPage error={error} reset={reset} />;
}

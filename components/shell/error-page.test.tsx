import { NextIntlClientProvider } from "next-intl";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import SignedInRouteError from "@/app/(app)/error";
import RootRouteError from "@/app/error";
import messages from "@/messages/en.json";
import { ErrorBoundaryPage } from "./error-boundary";
import { ErrorPage } from "./error-page";

/**
 * Each page has one `main` element. The signed-in layout has its own, so the error bodies rendered
 * inside it have none, and the root `error.tsx`, which only the root layout wraps, adds it.
 */

function render(node: ReactNode): string {
  return renderToStaticMarkup(
    <NextIntlClientProvider locale="en" timeZone="UTC" messages={messages}>
      {node}
    </NextIntlClientProvider>,
  );
}

function countMain(html: string): number {
  return html.match(/<main[\s>]/g)?.length ?? 0;
}

const error = Object.assign(new Error("boom"), { digest: "123" });
const reset = () => {};

describe("error pages main element", () => {
  it("ErrorPage renders no main", () => {
    const html = render(<ErrorPage status={403} title="Forbidden" body="No access." backLabel="Back" />);

    expect(html).toContain("Forbidden");
    expect(countMain(html)).toBe(0);
  });

  it("ErrorBoundaryPage renders no main", () => {
    const html = render(<ErrorBoundaryPage error={error} reset={reset} />);

    expect(html).toContain(messages.errors.unexpectedTitle);
    expect(countMain(html)).toBe(0);
  });

  it("signed-in error.tsx renders no main", () => {
    const html = render(<SignedInRouteError error={error} reset={reset} />);

    expect(countMain(html)).toBe(0);
  });

  it("root error.tsx renders one main", () => {
    const html = render(<RootRouteError error={error} reset={reset} />);

    expect(countMain(html)).toBe(1);
  });
});

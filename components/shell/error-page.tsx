import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

/**
 * Body of the 403 and 404 pages: status, title, explanation and a way back. It is no `main`
 * element, because the page around it has one: the signed-in layout's, or the root page file's.
 */
export function ErrorPage({
  status,
  title,
  body,
  backLabel,
}: {
  status: number;
  title: string;
  body: string;
  backLabel: string;
}) {
  return (
    <div className="mx-auto flex max-w-xl flex-col items-start gap-4 px-6 py-16">
      <p className="text-sm font-semibold text-indigo-700">{status}</p>
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="text-slate-600">{body}</p>
      <Link href="/" className={buttonClasses("secondary")}>
        {backLabel}
      </Link>
    </div>
  );
}

import { getTranslations } from "next-intl/server";
import { ErrorPage } from "@/components/shell/error-page";

/**
 * Rendered with status 403 when `forbidden()` is called where no nearer `forbidden.tsx` applies,
 * such as outside the signed-in pages. Only the root layout is around it, so it provides `main`.
 */
export default async function Forbidden() {
  const t = await getTranslations("errors");
  return (
    <main>
      <ErrorPage status={403} title={t("forbiddenTitle")} body={t("forbiddenBody")} backLabel={t("backHome")} />
    </main>
  );
}

import { getTranslations } from "next-intl/server";
import { ErrorPage } from "@/components/shell/error-page";

/** Rendered with status 403 when a page calls `forbidden()` because the user's role lacks access. */
export default async function Forbidden() {
  const t = await getTranslations("errors");
  return <ErrorPage status={403} title={t("forbiddenTitle")} body={t("forbiddenBody")} backLabel={t("backHome")} />;
}

/** HTTP methods that never change data, so cross-site checks let them through. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

import type { ServerError } from "@/lib/i18n/server-errors";
import type { LanguageHistory, VersionDiff } from "@/lib/prompt-admin/history";

/** Two versions of one language that the history page compares. */
export interface DiffRequest {
  language: string;
  from: string;
  to: string;
}

/** State of the history page: the picked language, its versions and the diff between two of them. */
export interface HistoryState {
  language: string;
  /** Versions of `language`, or null while they load. */
  history: LanguageHistory | null;
  /** Version ids picked in the "from" and "to" lists, or "" before the history loads. */
  from: string;
  to: string;
  diff: VersionDiff | null;
  /** Failure of the latest history or diff request. Loading either one clears it. */
  error: ServerError | null;
}

export type HistoryAction =
  | { type: "languageChanged"; language: string }
  | { type: "historyLoaded"; history: LanguageHistory }
  | { type: "historyFailed"; language: string; error: ServerError }
  | { type: "fromChanged"; versionId: string }
  | { type: "toChanged"; versionId: string }
  | { type: "diffLoaded"; request: DiffRequest; diff: VersionDiff }
  | { type: "diffFailed"; request: DiffRequest; error: ServerError };

export function initialHistoryState(language: string): HistoryState {
  return { language, history: null, from: "", to: "", diff: null, error: null };
}

/**
 * Return the diff request that the page needs, or null until the picked language's history has
 * loaded and both picked ids are among its versions. Version ids belong to one language, so this
 * never pairs the ids of the previous language with a new one.
 */
export function currentDiffRequest(state: HistoryState): DiffRequest | null {
  const { history, language, from, to } = state;
  if (!history || history.language !== language) return null;

  const known = (id: string) => history.versions.some((version) => version.id === id);
  if (!known(from) || !known(to)) return null;
  return { language, from, to };
}

function isCurrentRequest(state: HistoryState, request: DiffRequest): boolean {
  const current = currentDiffRequest(state);
  return (
    current !== null &&
    current.language === request.language &&
    current.from === request.from &&
    current.to === request.to
  );
}

/**
 * Apply one event of the history page. Responses to requests that the page no longer needs, such
 * as the history or diff of a language the user left, are ignored.
 */
export function historyReducer(state: HistoryState, action: HistoryAction): HistoryState {
  switch (action.type) {
    case "languageChanged":
      if (action.language === state.language) return state;
      return initialHistoryState(action.language);

    case "historyLoaded": {
      if (action.history.language !== state.language) return state;
      // The diff starts with the newest version against the one before it.
      const [newest, previous] = action.history.versions;
      return {
        ...state,
        history: action.history,
        to: newest?.id ?? "",
        from: previous?.id ?? newest?.id ?? "",
        error: null,
      };
    }

    case "historyFailed":
      return action.language === state.language ? { ...state, error: action.error } : state;

    case "fromChanged":
      return { ...state, from: action.versionId };

    case "toChanged":
      return { ...state, to: action.versionId };

    case "diffLoaded":
      return isCurrentRequest(state, action.request) ? { ...state, diff: action.diff, error: null } : state;

    case "diffFailed":
      return isCurrentRequest(state, action.request) ? { ...state, diff: null, error: action.error } : state;
  }
}

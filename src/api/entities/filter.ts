// Filter, FilterKeyword, FilterStatus and FilterResult (entities/Filter*.md).
import type { FilterMatch, FilterStatusRow, KeywordRow, LoadedFilter } from "../../domain/filters.ts";

export const renderFilterKeyword = (k: KeywordRow) => ({ id: k.id, keyword: k.keyword, whole_word: k.wholeWord });
export const renderFilterStatus = (s: FilterStatusRow) => ({ id: s.id, status_id: s.statusId });

export function renderFilter(f: LoadedFilter) {
  return {
    id: f.filter.id,
    title: f.filter.title,
    context: JSON.parse(f.filter.context) as string[],
    expires_at: f.filter.expiresAt === null ? null : new Date(f.filter.expiresAt).toISOString(),
    filter_action: f.filter.filterAction,
    keywords: f.keywords.map(renderFilterKeyword),
    statuses: f.statuses.map(renderFilterStatus),
  };
}

export function renderFilterResult(m: FilterMatch) {
  return { filter: renderFilter(m.filter), keyword_matches: m.keywordMatches, status_matches: m.statusMatches };
}

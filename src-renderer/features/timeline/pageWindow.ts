// Which pages of a long timeline stay in memory: those nearest the rows in view, up to a cap, so scrolling a
// 100,000-snapshot run end to end does not keep every summary it passed (nor copy an ever larger map).

/** Page numbers covering snapshot indexes [start, end] of a list of `total`, clamped to the list. */
export function pagesCovering(start: number, end: number, total: number, pageSize: number): number[] {
  if (total <= 0) return [];
  const from = Math.floor(Math.max(0, start) / pageSize);
  const to = Math.floor(Math.min(end, total - 1) / pageSize);
  const pages: number[] = [];
  for (let page = from; page <= to; page++) pages.push(page);
  return pages;
}

/**
 * The pages to keep when more than `max` are loaded: page 0 (the run's start, which every row's offset is
 * measured from) and the others nearest `near`; the same map when nothing has to go.
 */
export function keepNearestPages<T>(pages: ReadonlyMap<number, T>, near: number, max: number): ReadonlyMap<number, T> {
  if (pages.size <= max) return pages;
  const byDistance = [...pages.keys()].filter((p) => p !== 0).sort((a, b) => Math.abs(a - near) - Math.abs(b - near));
  const keep = new Set(byDistance.slice(0, pages.has(0) ? max - 1 : max));
  if (pages.has(0)) keep.add(0);
  return new Map([...pages].filter(([page]) => keep.has(page)));
}

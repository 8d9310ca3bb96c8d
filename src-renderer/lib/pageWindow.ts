// Which pages of a long list stay in memory: those nearest the rows in view, up to a cap, so scrolling a
// 100,000-snapshot timeline or a 100,000-run history end to end does not keep every row it passed.

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
 * The pages to keep when more than `max` are loaded: page 0 (the list's start: a timeline measures every row's
 * offset from it, the history's newest runs land there) and the others nearest `near`; the same map when
 * nothing has to go.
 */
export function keepNearestPages<T>(pages: ReadonlyMap<number, T>, near: number, max: number): ReadonlyMap<number, T> {
  if (pages.size <= max) return pages;
  const byDistance = [...pages.keys()].filter((p) => p !== 0).sort((a, b) => Math.abs(a - near) - Math.abs(b - near));
  const keep = new Set(byDistance.slice(0, pages.has(0) ? max - 1 : max));
  if (pages.has(0)) keep.add(0);
  return new Map([...pages].filter(([page]) => keep.has(page)));
}

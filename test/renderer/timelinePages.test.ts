// The timeline of a long run keeps only the pages near the rows in view, and asks only for the pages in view.
import { describe, expect, it } from 'vitest';
import { keepNearestPages, pagesCovering } from '../../src-renderer/lib/pageWindow';

const loaded = (...pages: number[]) => new Map(pages.map((p) => [p, `page ${p}`]));

describe('timeline pages', () => {
  it('covers the rows in view with the pages that hold them, within the run', () => {
    expect(pagesCovering(450, 1020, 100_000, 500)).toEqual([0, 1, 2]);
    expect(pagesCovering(-50, 80, 100_000, 500)).toEqual([0]);
    expect(pagesCovering(99_900, 100_050, 100_000, 500)).toEqual([199]);
    expect(pagesCovering(0, 60, 0, 500)).toEqual([]);
  });

  it('keeps every page while there are no more than the cap', () => {
    const pages = loaded(0, 1, 2);
    expect(keepNearestPages(pages, 2, 3)).toBe(pages);
  });

  it('drops the pages farthest from the rows in view, keeping the run start', () => {
    const kept = keepNearestPages(loaded(0, 1, 2, 3, 50, 97, 98, 99, 100), 98, 5);
    expect([...kept.keys()].sort((a, b) => a - b)).toEqual([0, 97, 98, 99, 100]);
    expect(kept.get(98)).toBe('page 98');
  });

  it('keeps the cap of pages near the view when the run start was never loaded', () => {
    const kept = keepNearestPages(loaded(10, 11, 12, 40), 11, 3);
    expect([...kept.keys()].sort((a, b) => a - b)).toEqual([10, 11, 12]);
  });
});

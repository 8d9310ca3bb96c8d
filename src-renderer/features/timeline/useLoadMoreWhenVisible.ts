// Loads the next page of snapshots when the "Load more" row scrolls into view.
import { useEffect, type RefObject } from 'react';

export function useLoadMoreWhenVisible(sentinel: RefObject<HTMLElement | null>, enabled: boolean, loadMore: () => void): void {
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !enabled) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMore();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [sentinel, enabled, loadMore]);
}

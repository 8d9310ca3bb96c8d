// While a live run's timeline is scrolled to its end, new snapshots keep it there (as a console or network
// log does); once the person scrolls up, it stays where they put it. Finished runs open at their start.
import { useLayoutEffect, useRef, type RefObject } from 'react';

export function useFollowTail(anchor: RefObject<HTMLElement | null>, itemCount: number, resetKey: unknown, enabled: boolean): void {
  const following = useRef(true);

  useLayoutEffect(() => {
    following.current = true;
  }, [resetKey]);

  const hasItems = itemCount > 0;
  useLayoutEffect(() => {
    const scroller = anchor.current?.closest('.panel__body');
    if (!scroller) return;
    const onScroll = () => {
      following.current = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 4;
    };
    scroller.addEventListener('scroll', onScroll, { passive: true });
    return () => scroller.removeEventListener('scroll', onScroll);
  }, [anchor, hasItems]);

  useLayoutEffect(() => {
    const scroller = anchor.current?.closest('.panel__body');
    if (scroller && enabled && following.current && itemCount > 0) scroller.scrollTop = scroller.scrollHeight;
  }, [anchor, itemCount, enabled]);
}

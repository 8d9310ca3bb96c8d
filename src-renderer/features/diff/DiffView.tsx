// jsondiffpatch's visual diff, with unchanged values hidden unless the person asks for them.
import { useLayoutEffect, useRef } from 'react';
import { showUnchanged } from 'jsondiffpatch/formatters/html';
import 'jsondiffpatch/formatters/styles/html.css';
import { renderDelta } from './diffHtml';

export function DiffView({ delta, left, showAll }: { delta: unknown; left: unknown; showAll: boolean }) {
  const hostRef = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    hostRef.current?.replaceChildren(renderDelta(delta, left));
  }, [delta, left]);

  useLayoutEffect(() => {
    if (hostRef.current) showUnchanged(showAll, hostRef.current);
  }, [showAll, delta, left]);

  return <div className="diff-view" ref={hostRef} />;
}

// jsondiffpatch's visual diff (rendered to HTML by the diff worker), unchanged values hidden unless asked for.
import { useLayoutEffect, useRef } from 'react';
import { showUnchanged } from 'jsondiffpatch/formatters/html';
import 'jsondiffpatch/formatters/styles/html.css';
import { safeFragment } from './diffHtml';

export function DiffView({ html, showAll }: { html: string; showAll: boolean }) {
  const hostRef = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    hostRef.current?.replaceChildren(safeFragment(html));
  }, [html]);

  useLayoutEffect(() => {
    if (hostRef.current) showUnchanged(showAll, hostRef.current);
  }, [showAll, html]);

  return <div className="diff-view" ref={hostRef} />;
}

// jsondiffpatch's visual diff (rendered to HTML by the diff worker), unchanged values hidden unless asked for.
// A large diff is attached a slice at a time (see renderInSlices) so the window never stalls on it.
import { useLayoutEffect, useRef } from 'react';
import { showUnchanged } from 'jsondiffpatch/formatters/html';
import 'jsondiffpatch/formatters/styles/html.css';
import { renderInSlices } from './diffHtml';

export function DiffView({ html, showAll }: { html: string; showAll: boolean }) {
  const hostRef = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    return renderInSlices(host, html);
  }, [html]);

  useLayoutEffect(() => {
    if (hostRef.current) showUnchanged(showAll, hostRef.current);
  }, [showAll, html]);

  return <div className="diff-view" ref={hostRef} />;
}

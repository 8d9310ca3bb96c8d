// A named region with a DevTools-style header strip; the name is what assistive tech and tests find it by.
import type { ReactNode, Ref } from 'react';
import './Panel.css';

interface PanelProps {
  name: string;
  /** Shown after the name in the header, e.g. a count. */
  detail?: ReactNode;
  /** Controls at the right of the header. */
  actions?: ReactNode;
  /** A strip under the header that does not scroll with the body. */
  toolbar?: ReactNode;
  className?: string;
  /** The scrolling body, for virtual lists that measure it. */
  bodyRef?: Ref<HTMLDivElement>;
  onBodyScroll?: () => void;
  /** Only the header shows (a pane with nothing to show yet, folded as DevTools folds its drawers). */
  collapsed?: boolean;
  children?: ReactNode;
}

export function Panel({ name, detail, actions, toolbar, className, bodyRef, onBodyScroll, collapsed, children }: PanelProps) {
  return (
    <section aria-label={name} className={`panel ${collapsed ? 'panel--collapsed ' : ''}${className ?? ''}`}>
      <header className="panel__header">
        <h2 className="panel__title">{name}</h2>
        {detail !== undefined && <span className="panel__detail">{detail}</span>}
        <div className="panel__actions">{actions}</div>
      </header>
      {!collapsed && toolbar}
      {!collapsed && (
        <div className="panel__body" ref={bodyRef} onScroll={onBodyScroll}>
          {children}
        </div>
      )}
    </section>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="empty-state">{children}</div>;
}

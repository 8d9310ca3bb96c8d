// A drag handle between two panes, also movable with the arrow keys (a focusable window splitter).
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import './Splitter.css';

interface SplitterProps {
  label: string;
  orientation: 'vertical' | 'horizontal';
  /** Current size of the pane before the splitter, in pixels. */
  size: number;
  min: number;
  max: number;
  onResize(size: number): void;
}

export function Splitter({ label, orientation, size, min, max, onResize }: SplitterProps) {
  const drag = useRef<{ start: number; size: number } | null>(null);
  const axis = (e: PointerEvent) => (orientation === 'vertical' ? e.clientX : e.clientY);

  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { start: axis(e), size };
    document.body.classList.add(`is-resizing-${orientation}`);
  }
  function onPointerMove(e: PointerEvent<HTMLDivElement>) {
    if (drag.current) onResize(drag.current.size + axis(e) - drag.current.start);
  }
  function onPointerUp() {
    drag.current = null;
    document.body.classList.remove(`is-resizing-${orientation}`);
  }
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const back = orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
    const forward = orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
    const step = e.shiftKey ? 50 : 10;
    if (e.key === back) onResize(size - step);
    else if (e.key === forward) onResize(size + step);
    else return;
    e.preventDefault();
  }

  return (
    <div
      className={`splitter splitter--${orientation}`}
      role="separator"
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={Math.round(size)}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}

// Pretty JSON with syntax colours; very large documents are shown plain, so selecting one never stalls the window.
import { useMemo } from 'react';
import { tokenizeJson } from './jsonTokens';
import './JsonView.css';

const HIGHLIGHT_LIMIT = 400_000;

export function JsonView({ value }: { value: unknown }) {
  const text = useMemo(() => JSON.stringify(value, null, 2) ?? 'undefined', [value]);
  const tokens = useMemo(() => (text.length <= HIGHLIGHT_LIMIT ? tokenizeJson(text) : null), [text]);
  return (
    <pre className="json-view">
      {tokens
        ? tokens.map((t, i) =>
            t.kind === 'punct' ? t.text : (
              <span key={i} className={`json-${t.kind}`}>
                {t.text}
              </span>
            ),
          )
        : text}
    </pre>
  );
}

// Splits pretty-printed JSON into coloured tokens for the Inspector; React renders them as text, never as HTML.

export type JsonTokenKind = 'key' | 'string' | 'number' | 'literal' | 'punct';
export interface JsonToken {
  kind: JsonTokenKind;
  text: string;
}

const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([^"\d\-tfn]+|.)/gs;

export function tokenizeJson(text: string): JsonToken[] {
  const tokens: JsonToken[] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      tokens.push({ kind: m[2] ? 'key' : 'string', text: m[1] });
      if (m[2]) tokens.push({ kind: 'punct', text: m[2] });
    } else if (m[3] !== undefined) tokens.push({ kind: 'number', text: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'literal', text: m[4] });
    else tokens.push({ kind: 'punct', text: m[0] });
  }
  return tokens;
}

// Monaco, loaded on demand (its own chunk): the editor core, its icon font, its one web worker bundled by Vite, syntax
// colours for JSON, YAML and workflow sources, and a theme that follows the system's light or dark setting.
// No language workers: configurations are checked by our own schema check, sources are read-only.
import * as monaco from 'monaco-editor/editor/editor.api';
// The codicon font (the diff gutter's +/−, folding arrows, widgets' icons): editor.api leaves it out, and
// without it those icons are blank boxes.
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/javascript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

window.MonacoEnvironment = { getWorker: () => new EditorWorker() };

monaco.languages.register({ id: 'json', extensions: ['.json'], aliases: ['JSON'] });
monaco.languages.setMonarchTokensProvider('json', {
  tokenizer: {
    root: [
      [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'type'],
      [/"(?:[^"\\]|\\.)*"/, 'string'],
      [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
      [/\b(?:true|false|null)\b/, 'keyword'],
      [/[{}[\],:]/, 'delimiter'],
    ],
  },
});

const dark = window.matchMedia('(prefers-color-scheme: dark)');
const applyTheme = () => monaco.editor.setTheme(dark.matches ? 'vs-dark' : 'vs');
applyTheme();
dark.addEventListener('change', applyTheme);

/** Options every editor of the app shares: dense, calm, no minimap. */
export const baseOptions: monaco.editor.IStandaloneEditorConstructionOptions = {
  automaticLayout: true,
  minimap: { enabled: false },
  fontSize: 12,
  lineNumbersMinChars: 3,
  scrollBeyondLastLine: false,
  renderLineHighlight: 'line',
  tabSize: 2,
  fixedOverflowWidgets: true,
};

export { monaco };

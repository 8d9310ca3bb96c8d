// Reading a V8 stack trace ("Error: message\n    at fn (file:line:col)\n …") as frames, each marked as
// the user's own code or internal (Node, the engine, the worker, dependencies). Pure: the core maps stacks
// with it, the CLI names the first user frame, the Inspector folds internal frames and links the user's.

export interface StackFrame {
  /** The frame's line as V8 wrote it, without its leading spaces. */
  text: string;
  /** The function, e.g. `Object.run`, `async Promise.all`; absent for `at file:line:col`. */
  fn?: string;
  /** The location: a path (workspace-relative for mapped workflow frames), `node:…`, `native`, … */
  file?: string;
  line?: number;
  column?: number;
  /** Node internals, the engine and worker, the SDK runtime, node_modules, and frames with no position. */
  internal: boolean;
}

export interface ParsedStack {
  /** The lines before the first frame: usually `Name: message`. */
  head: string;
  frames: StackFrame[];
}

const FRAME = /^\s+at\s+(.*)$/;
const CALL = /^(.+?) \((.+)\)$/;
const POSITION = /^(.*):(\d+):(\d+)$/;
const INTERNAL = /^node:|^internal\/|^snapshot-studio:|\[worker eval\]|(^|[/\\])node_modules[/\\]|^native$|^<anonymous>$|^eval at |^index \d+$/;

/** The engine's names in mapped stacks: the worker's own code and the bundled SDK runtime. */
export const ENGINE_LOCATION = 'snapshot-studio:worker';

export function parseFrame(line: string): StackFrame | null {
  const m = FRAME.exec(line);
  if (!m) return null;
  const text = m[1];
  const call = CALL.exec(text);
  const location = call ? call[2] : text;
  const frame: StackFrame = { text, internal: true };
  if (call) frame.fn = call[1];
  const pos = POSITION.exec(location);
  if (pos) {
    frame.file = pos[1];
    frame.line = Number(pos[2]);
    frame.column = Number(pos[3]);
    frame.internal = INTERNAL.test(pos[1]);
  } else frame.file = location;
  return frame;
}

export function parseStack(stack: string): ParsedStack {
  const lines = stack.split('\n');
  const first = lines.findIndex((l) => FRAME.test(l));
  const headLines = first < 0 ? lines : lines.slice(0, first);
  const frames = first < 0 ? [] : lines.slice(first).flatMap((l) => parseFrame(l) ?? []);
  return { head: headLines.join('\n'), frames };
}

/** The first frame in the user's code, e.g. the workflow file's line that threw. */
export function firstUserFrame(stack: string | undefined): StackFrame | undefined {
  return stack ? parseStack(stack).frames.find((f) => !f.internal) : undefined;
}

/** `file:line:col` of a frame with a position. */
export const frameLocation = (f: StackFrame) => `${f.file}:${f.line}:${f.column}`;

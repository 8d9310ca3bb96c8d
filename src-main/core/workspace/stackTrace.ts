// Maps the stacks of errors thrown in step workers back to the user's files. A workflow bundle carries an
// inline source map (bundle.ts), so a stored version maps its stacks as well as the workspace's latest does;
// the worker compiles the bundle under `bundleScriptName(file)`, so its frames name the bundle rather than
// "eval at load ([worker eval]:35:3), <anonymous>". Frames of the worker's own code are renamed
// `snapshot-studio:worker`; Node's stay as they are.
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import type { StepError } from '../../shared/snapshot';
import { ENGINE_LOCATION, parseFrame } from '../../shared/stackFrames';

const INLINE_MAP = '//# sourceMappingURL=data:application/json;base64,';

/** The name V8 gives the compiled bundle of `file` in stack frames. */
export const bundleScriptName = (file: string) => `snapshot-studio:bundle:${file}`;

function inlineMap(bundle: string): TraceMap | null {
  const at = bundle.lastIndexOf(INLINE_MAP);
  if (at < 0) return null;
  const end = bundle.indexOf('\n', at);
  const encoded = bundle.slice(at + INLINE_MAP.length, end < 0 ? undefined : end).trim();
  try {
    return new TraceMap(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    return null;
  }
}

export type StackMapper = (error: StepError) => StepError;

/**
 * A mapper for errors of one bundle: frames in the bundle read `<workspace-relative source>:line:col`.
 * The source map is decoded at the first error, not before. A bundle stored before source maps keeps
 * its bundle positions (a frame then names `snapshot-studio:bundle:…`, folded as internal).
 */
export function createStackMapper(bundle: string, scriptName: string): StackMapper {
  let map: TraceMap | null | undefined;
  const mapLine = (line: string): string => {
    const frame = parseFrame(line);
    if (!frame) return line;
    const indent = line.slice(0, line.indexOf('at '));
    let location: string | undefined;
    if (frame.file === scriptName && frame.line !== undefined && frame.column !== undefined) {
      map ??= inlineMap(bundle);
      const pos = map && originalPositionFor(map, { line: frame.line, column: frame.column - 1 });
      if (pos?.source && pos.line !== null) location = `${pos.source}:${pos.line}:${pos.column + 1}`;
    } else if (frame.file?.includes('[worker eval]')) {
      location = frame.file.replace('[worker eval]', ENGINE_LOCATION) + (frame.line !== undefined ? `:${frame.line}:${frame.column}` : '');
    }
    if (location === undefined) return line;
    return `${indent}at ${frame.fn ? `${frame.fn} (${location})` : location}`;
  };
  return (error) => (error.stack ? { ...error, stack: error.stack.split('\n').map(mapLine).join('\n') } : error);
}

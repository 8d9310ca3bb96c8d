// Foreign errors as ours ({name, message, stack?}): a string such as "TypeError: boom\n    at …"
// (Mastra 0.x, refluxo), or an object with message/name/stack (Mastra 1.x, serialized Errors).
import type { StepError } from '../../../../shared/snapshot';
import { isObject, own } from './fields';

const HEAD = /^([A-Za-z_$][\w$.]*): ([\s\S]*)$/;

export function errorFromString(text: string): StepError {
  const lines = text.split('\n');
  const stackAt = lines.findIndex((l, i) => i > 0 && /^\s+at /.test(l));
  const head = (stackAt > 0 ? lines.slice(0, stackAt) : lines).join('\n');
  const m = HEAD.exec(head);
  const out: StepError = m && /(Error|Exception|Failure)$/.test(m[1]) ? { name: m[1], message: m[2] } : { name: 'Error', message: head };
  if (stackAt > 0) out.stack = text;
  return out;
}

/** Undefined when the value says nothing (null, `{}` — what JSON.stringify makes of an Error). */
export function toStepError(value: unknown): StepError | undefined {
  if (typeof value === 'string') return value === '' ? undefined : errorFromString(value);
  if (!isObject(value)) return undefined;
  const message = own(value, 'message');
  if (typeof message !== 'string') return undefined;
  const name = own(value, 'name');
  const stack = own(value, 'stack');
  const out: StepError = { name: typeof name === 'string' && name !== '' ? name : 'Error', message };
  if (typeof stack === 'string' && stack !== '') out.stack = stack;
  if (own(value, 'nonRetryable') === true || own(value, 'retryable') === false) out.retryable = false;
  return out;
}

// Run ids that sort by creation time and are short enough to read aloud.
import { randomBytes } from 'node:crypto';

export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

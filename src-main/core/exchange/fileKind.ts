// What a file is, in words, for the errors that refuse it: never its bytes. A file that is not a format
// this build reads may be anything (a key, a password file someone picked by mistake, or on purpose): its
// errors name the format that was expected and the *kind* of what was found (an empty file, binary data,
// text that is not JSON, an SQLite database), and JSON.parse's own messages, which quote the text they
// stopped at, are reduced to where they stopped.
import type { Stats } from 'node:fs';

/** What a path that is not a regular file is; undefined for a regular file. */
export function notAFile(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device, not a file';
  if (stats.isBlockDevice()) return 'a block device, not a file';
  if (stats.isFIFO()) return 'a named pipe, not a file';
  if (stats.isSocket()) return 'a socket, not a file';
  return 'not a regular file';
}

const SIGNATURES: [bytes: number[], kind: string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an executable (ELF)'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed data'],
  [[0x42, 0x5a, 0x68], 'bzip2-compressed data'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz-compressed data'],
];

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether bytes are UTF-8 text (a character cut at the end of the sample counts as text) without NUL bytes. */
function isText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  for (let cut = 0; cut < 4 && cut < bytes.length; cut++) {
    try {
      utf8.decode(bytes.subarray(0, bytes.length - cut));
      return true;
    } catch {
      // maybe a character cut short at the end of the sample: try without its bytes
    }
  }
  return bytes.length === 0;
}

/**
 * The kind of a file's first bytes (after inflating, when `gzip`), for an error that refuses it:
 * "an empty file", "binary data, not JSON", "text, not JSON", "JSON of another shape", an SQLite database…
 */
export function contentKind(bytes: Buffer, gzip = false): string {
  const inflated = gzip ? 'gzip-compressed ' : '';
  if (bytes.length === 0) return gzip ? 'gzip-compressed data that inflates to nothing readable' : 'an empty file';
  if (bytes.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000') return gzip ? 'a gzip-compressed SQLite database' : 'an SQLite database';
  for (const [magic, kind] of SIGNATURES) if (bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b)) return `${gzip ? `gzip-compressed ${kind.replace(/^an? /, '')}` : kind}, not JSON`;
  if (!isText(bytes)) return `${inflated}binary data, not JSON`;
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text === '') return `${inflated}text that is only blank`;
  if (text.startsWith('{') || text.startsWith('[')) return `${inflated}JSON of a shape none of these formats has`;
  return `${inflated}text, not JSON`;
}

/**
 * JSON.parse's error without the text it quotes ("Unexpected token 'r', "root:x:0:0"... is not valid JSON"):
 * where it stopped, when it says, and how.
 */
export function jsonErrorReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/^Unexpected end of JSON input/.test(message)) return 'the JSON ends too early';
  // V8's messages that say a position are its own words ("Expected ',' or '}' after property value in
  // JSON at position 12"); those that quote the text ("Unexpected token 'r', "root:x"... is not valid JSON") say none.
  const m = /^([A-Z][^"]*?) in JSON at position (\d+)/.exec(message);
  if (m) return `${m[1].charAt(0).toLowerCase()}${m[1].slice(1)} at character ${Number(m[2]) + 1}`;
  return 'not valid JSON';
}

// Small formatters shared by the panels: times, sizes and ids as a dense dev tool shows them.

/** One formatter for every count: `n.toLocaleString('en')` sets up a new one on each call (a list renders many). */
const thousandsFormat = new Intl.NumberFormat('en');

/** "100,000". */
export function formatCount(n: number): string {
  return thousandsFormat.format(n);
}

export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Time of day with milliseconds, as snapshots of one run are often milliseconds apart. */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Today's runs by time of day, older ones by date as well. */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const sameDay = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** "+1.234 s" after a reference time: how far into the run a snapshot was taken. */
export function formatOffset(iso: string, fromIso: string | undefined): string {
  if (!fromIso) return '';
  const ms = new Date(iso).getTime() - new Date(fromIso).getTime();
  if (!Number.isFinite(ms)) return '';
  if (ms < 1000) return `+${ms} ms`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(2)} s`;
  return `+${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A duration as a dev tool shows it: "850 ms", "1.24 s", "2 m 5 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}

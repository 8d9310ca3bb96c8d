// Other processes on this machine that share the database: is one still there?

/** Whether a process is running (one of another user counts: it is there, only not ours to signal). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

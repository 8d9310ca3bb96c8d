// Leases on runs: the run a process drives is held under an owner id (host, pid and a random part) until an
// expiry the driving process keeps renewing. Another process may continue the run only once no live lease
// holds it: the lease expired (its process died or lost the database), or its owner is a process of this
// host that is gone, which is known at once without waiting for the expiry.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isRunning } from '../processes';

/** How long a lease lasts unless renewed: a run left by a process on another host waits this long at most. */
export const LEASE_TTL_MS = 30_000;
/** Renewed three times per lease: one renewal may fail (the database busy) without losing it. */
export const LEASE_RENEW_MS = LEASE_TTL_MS / 3;

/** A new owner id for one process's run lifecycle: `host/pid/random`. */
export function newLeaseOwner(): string {
  return `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
}

/**
 * Whether an owner is known to be gone without waiting for its lease to expire: a process of this host
 * that is no longer running. A lifecycle of this very process other than `self` counts as gone too (a
 * service closed without releasing, as tests do), as a pid equal to ours did before leases.
 */
export function ownerIsGone(owner: string, self: string): boolean {
  const [host, pidText] = owner.split('/');
  if (host !== hostname() || owner === self) return false;
  const pid = Number(pidText);
  return pid === process.pid || !isRunning(pid);
}

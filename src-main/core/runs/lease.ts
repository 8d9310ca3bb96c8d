// Leases on runs: the run a process drives is held under an owner id (host, pid and a random part) until an
// expiry the driving process keeps renewing. Another process may continue the run only once no live lease
// holds it: the lease expired (its process died or lost the database), or its owner is a process of this
// host that is gone, which is known at once without waiting for the expiry.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isRunning } from '../processes';

/**
 * How long a lease lasts unless renewed: a run left by a process on another host waits this long at most.
 * 30 s, or SNAPSHOT_STUDIO_LEASE_MS (at least 500) where a team wants dead hosts' runs taken over sooner.
 */
export const LEASE_TTL_MS = Math.max(500, Number(process.env.SNAPSHOT_STUDIO_LEASE_MS) || 30_000);
/** Renewed three times per lease: one renewal may fail (the database busy) without losing it. */
export const LEASE_RENEW_MS = LEASE_TTL_MS / 3;

/**
 * The host part of owner ids: the machine's name, or SNAPSHOT_STUDIO_HOST where machines share one (containers
 * from one image). A lease of this host whose process is gone is taken at once; another host's only once expired.
 */
function hostId(): string {
  return process.env.SNAPSHOT_STUDIO_HOST || hostname();
}

/** A new owner id for one process's run lifecycle: `host/pid/random`. */
export function newLeaseOwner(): string {
  return `${hostId()}/${process.pid}/${randomBytes(4).toString('hex')}`;
}

/**
 * Whether an owner is known to be gone without waiting for its lease to expire: a process of this host
 * that is no longer running. A lifecycle of this very process other than `self` counts as gone too (a
 * service closed without releasing, as tests do), as a pid equal to ours did before leases.
 */
export function ownerIsGone(owner: string, self: string): boolean {
  const [host, pidText] = owner.split('/');
  if (host !== hostId() || owner === self) return false;
  const pid = Number(pidText);
  return pid === process.pid || !isRunning(pid);
}

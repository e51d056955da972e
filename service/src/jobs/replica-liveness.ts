import { hostname } from 'node:os';
import type { RegistryStore } from '../storage/registry-store.js';

/** The lease a replica holds while it lives; its jobs are orphans once it lapses. */
export function replicaLease(holder: string): string {
  return `replica:${holder}`;
}

/**
 * True when `holder` (host:pid:random, lease.ts) is a process of this host that no longer runs: its
 * jobs can be taken as interrupted at once instead of after its lease expires (a restart on the
 * same machine). False when unknown (another host, or the pid runs, perhaps reused).
 */
export function isDeadLocalProcess(holder: string): boolean {
  const parts = holder.split(':');
  if (parts.length < 3) return false;
  const pid = Number(parts[parts.length - 2]);
  if (parts.slice(0, -2).join(':') !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Decides, for a holder that left unfinished jobs behind, whether it is gone, and if so claims the
 * right to write their verdict: taking the dead holder's own replica lease (free once it lapsed) is
 * the claim, so of several replicas sweeping at once exactly one marks them. `release` gives it back.
 */
export async function claimDeadHolder(store: RegistryStore, dead: string, claimant: string, ttlMs: number): Promise<{ release(): Promise<void> } | null> {
  const lease = replicaLease(dead);
  if (!(await store.acquireLease(lease, claimant, ttlMs))) {
    if (!isDeadLocalProcess(dead)) return null;
    // A dead local process: its lease may still run for up to a ttl, but nobody renews it. Take the
    // claim under a name of its own, so two replicas on this host do not both write the verdict.
    if (!(await store.acquireLease(`${lease}:swept`, claimant, ttlMs))) return null;
    return { release: () => store.releaseLease(`${lease}:swept`, claimant) };
  }
  return { release: () => store.releaseLease(lease, claimant) };
}

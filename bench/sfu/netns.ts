/**
 * A network namespace of the bench's own for the SFU comparison. Janus gathers ICE candidates only on interfaces that
 * are not loopback (src/ice.c skips IFF_LOOPBACK), so on a plain machine it offers the machine's outside addresses.
 * In this namespace, besides `lo`, a veth pair carries 127.0.0.2: Janus's candidate stays in the loopback range and
 * no packet leaves the namespace. A socket on 127.0.0.2 cannot send to 127.0.0.1 (EINVAL: a loopback source on a
 * device that is not loopback), so every media socket, ours, Janus's and the load's, binds 127.0.0.2; both SFUs and
 * the load run inside, so they see the same network.
 */
import { spawnSync } from 'node:child_process';

export interface Netns {
  /** The command prefix that runs a program inside (`ip netns exec <name>`). */
  prefix: string[];
  /** The interface carrying 127.0.0.2 (Janus's ICE enforce list). */
  iface: string;
  remove(): void;
}

function ip(args: string[]): void {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`ip ${args.join(' ')}: ${result.stderr || result.error?.message || 'failed'}`);
  }
}

export const MEDIA_ADDRESS_IN_NETNS = '127.0.0.2';

/** Creates the namespace, or says why it could not when this machine does not allow it (not root, no iproute2). */
export function createNetns(): Netns | { error: string } {
  const name = `rzbench-sfu-${process.pid}`;
  const inside = (args: string[]) => ip(['netns', 'exec', name, 'ip', ...args]);
  const remove = () => void spawnSync('ip', ['netns', 'del', name]);
  try {
    ip(['netns', 'add', name]);
    inside(['link', 'set', 'lo', 'up']);
    inside(['link', 'add', 'rzb0', 'type', 'veth', 'peer', 'name', 'rzb1']);
    inside(['addr', 'add', `${MEDIA_ADDRESS_IN_NETNS}/32`, 'dev', 'rzb0']);
    inside(['link', 'set', 'rzb1', 'up']);
    inside(['link', 'set', 'rzb0', 'up']);
  } catch (error) {
    remove();
    return { error: String(error) };
  }
  process.once('exit', remove);
  return { prefix: ['ip', 'netns', 'exec', name], iface: 'rzb0', remove };
}

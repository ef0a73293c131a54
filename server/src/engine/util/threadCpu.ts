/**
 * CPU time of the calling thread, on Linux; undefined elsewhere. Node 20 has no per-thread CPU
 * clock, and with worker threads process.cpuUsage() sums them all. Read from
 * /proc/thread-self/schedstat (ns resolution, with the time spent runnable but waiting for a CPU),
 * else /proc/thread-self/stat (user + system in 10 ms ticks). For profiles only.
 */
import { readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on every Linux ABI Node supports

export interface ThreadTimes {
  /** Time on a CPU (ms). */
  cpu: number;
  /** Time runnable but waiting for a CPU (ms; other work on the machine), when known. */
  wait?: number;
}

let source: 'schedstat' | 'stat' | 'none' | undefined;

export function threadTimes(): ThreadTimes | undefined {
  try {
    if (source === undefined || source === 'schedstat') {
      const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ').map(Number);
      if (run > 0) {
        source = 'schedstat';
        return { cpu: run / 1e6, wait: wait / 1e6 };
      }
    }
    if (source === 'none') return undefined;
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    source = 'stat';
    // Fields after the command: state(3) ... utime(14) stime(15), so indices 11 and 12 here.
    return { cpu: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    source = 'none';
    return undefined;
  }
}

/** CPU time of the calling thread (ms), or undefined. */
export function threadCpuMs(): number | undefined {
  return threadTimes()?.cpu;
}

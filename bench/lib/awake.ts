/**
 * Keeps every CPU busy with a spinning process at SCHED_IDLE while a measurement runs, so no CPU
 * ever goes idle: a diagnostic, never the headline figure. On a VM whose idle vCPUs halt (this
 * machine kind's guest has no cpuidle driver), each wake-up of a sleeping process leaves the guest
 * and waits for the host, and a gateway adds wake-ups to every call. A SCHED_IDLE task runs only
 * when nothing else wants the CPU and is preempted at once, so with one on each CPU a wake-up finds
 * a running vCPU instead of a halted one. The difference between the two measurements is what the
 * machine's idle wake-ups cost, not Gatehouse's work (bench/HISTORY.md, "What idle vCPUs cost").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { hasChrt } from '../../test/helpers/chrt.js';

/** Starts the spinners; the returned function stops them. */
export async function keepCpusAwake(): Promise<() => Promise<void>> {
  // At nice 19 instead, a spinner would still take its share of a busy CPU and slow what it measures.
  if (!hasChrt()) throw new Error('keeping CPUs awake needs util-linux chrt (SCHED_IDLE), which is not here');
  const spinners: ChildProcess[] = Array.from({ length: os.cpus().length }, () =>
    spawn('chrt', ['--idle', '0', process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  // A harness that dies mid-measurement must not leave them spinning.
  const killAll = () => spinners.forEach((spinner) => spinner.kill('SIGKILL'));
  process.once('exit', killAll);
  // Running before the measurement starts: spawn has returned, give them a moment to be scheduled.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return async () => {
    process.off('exit', killAll);
    await Promise.all(
      spinners.map(
        (spinner) =>
          new Promise<void>((resolve) => {
            if (spinner.exitCode !== null || spinner.signalCode !== null) return resolve();
            spinner.once('exit', () => resolve());
            spinner.kill('SIGKILL');
          }),
      ),
    );
  };
}

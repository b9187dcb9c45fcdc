/** Whether util-linux `chrt` can run here (Linux only): it sets SCHED_IDLE, which Node has no API for. */
import { spawnSync } from 'node:child_process';

export const hasChrt = (): boolean => process.platform === 'linux' && spawnSync('chrt', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Which Node the benchmark measures. By default the one the image ships (the Dockerfile's runtime
 * stage): that is what operators run, and Gatehouse's CPU a call differs by a quarter to a third
 * between Node 20 and 24 on this machine kind (bench/HISTORY.md, "The runtime").
 * `--node=machine` measures the Node that started the harness instead.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { option } from './options.js';
import { ROOT } from './processes.js';

/** `--node=image` (the default) or `--node=machine`. */
export function measuredNode(): 'image' | 'machine' {
  const value = option('node', 'image');
  if (value !== 'image' && value !== 'machine') throw new Error(`bench: --node=${value}: use --node=image (the default) or --node=machine`);
  return value;
}

/** The Node major of the Dockerfile's last stage (`FROM node:24-bookworm-slim`). */
export function imageNodeMajor(): number {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const majors = [...dockerfile.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(?:docker\.io\/)?(?:library\/)?node:(\d+)/gim)].map((m) => Number(m[1]));
  const major = majors.at(-1);
  if (major === undefined) throw new Error('bench: the Dockerfile names no node:<major> image; run with --node=machine');
  return major;
}

/**
 * Returns when this process already runs on the Node to measure. Otherwise runs the same script
 * with the same arguments on the image's Node (fetched from the npm registry with npx, cached
 * after the first time) and exits with its status: every server the harness spawns then runs on
 * that Node too (`spawnNode` uses `process.execPath`).
 */
export async function onMeasuredNode(argv: string[]): Promise<void> {
  if (measuredNode() === 'machine') return;
  const major = imageNodeMajor();
  if (Number(process.versions.node.split('.')[0]) === major) return;
  process.stderr.write(`bench: this is node ${process.version}; the image runs node ${major}, fetching it with npx (--node=machine measures this one)\n`);
  let node: string;
  try {
    node = execFileSync('npx', ['-y', '-p', `node@${major}`, 'node', '-p', 'process.execPath'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (error) {
    throw new Error(`bench: could not fetch node ${major} with npx (${(error as Error).message.split('\n')[0]}); run with --node=machine to measure node ${process.version}`);
  }
  const child = spawn(node, ['--import', 'tsx', process.argv[1]!, ...argv], { cwd: ROOT, stdio: 'inherit' });
  // Ctrl-C reaches the child too (same process group); it stops its servers, then we exit with it.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const code = await new Promise<number>((resolve) => child.once('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
  process.exit(code);
}

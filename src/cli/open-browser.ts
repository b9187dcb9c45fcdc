/**
 * Opens a URL in the person's browser with the platform's opener (open, xdg-open, start). Returns
 * false when there is none or it fails, so the caller can fall back to printing the URL.
 */
import { spawn } from 'node:child_process';

function opener(platform: NodeJS.Platform, url: string): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]];
  return ['xdg-open', [url]];
}

export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  const [command, args] = opener(platform, url);
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { stdio: 'ignore', detached: true });
      child.once('error', () => resolve(false));
      child.once('exit', (code) => resolve(code === 0));
      child.unref();
      // An opener that keeps running has handed the URL to a browser.
      setTimeout(() => resolve(true), 1500).unref();
    } catch {
      resolve(false);
    }
  });
}

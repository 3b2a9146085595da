/**
 * Which Chromium the browser tests drive: CHROMIUM_PATH when set, else Debian's chromium when
 * installed, else the one npm installed with @sparticuz/chromium (its binary ships inside the
 * package and is unpacked to the temp folder; nothing is downloaded). CHROMIUM_PATH=bundled
 * forces the npm one.
 */
import { existsSync } from 'node:fs';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const COMMON_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  /** Where it came from, for failure messages. */
  source: 'CHROMIUM_PATH' | 'debian' | '@sparticuz/chromium';
}

export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumChoice> {
  const override = env.CHROMIUM_PATH;
  if (override && override !== 'bundled') {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH=${override}: no such file`);
    return { executablePath: override, args: COMMON_ARGS, source: 'CHROMIUM_PATH' };
  }
  if (!override && existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, args: COMMON_ARGS, source: 'debian' };
  const { default: bundled } = await import('@sparticuz/chromium');
  const executablePath = await bundled.executablePath();
  return { executablePath, args: [...new Set([...bundled.args, ...COMMON_ARGS])], source: '@sparticuz/chromium' };
}

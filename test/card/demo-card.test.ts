/** `morning-brief demo` writes the bundled snapshot's card to a file, says where on stderr, and leaves stdout the brief. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pngHeader } from '../../src/card/png.ts';
import { main } from '../../src/cli.ts';
import { captureIo } from '../helpers/capture-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'mb-demo-card-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function demo(args: string[]) {
  const io = captureIo();
  const code = await main(['demo', ...args], { stdout: io.stdout, stderr: io.stderr, env: { OPENAI_API_KEY: '', MORNING_BRIEF_CONFIG: '' }, isTTY: false });
  return { code, ...io.text };
}

describe('demo card', () => {
  it('writes a 1200×675 PNG where it says, with the same brief on stdout as without the card', async () => {
    const file = join(dir, 'card.png');
    const withCard = await demo(['--card', file]);
    const without = await demo(['--no-card']);
    expect(withCard.code).toBe(0);
    expect(withCard.err).toBe(`Market card (1200x675 PNG, ${Math.round(readFileSync(file).length / 1024)} KB): ${file}\n`);
    expect(pngHeader(readFileSync(file))).toMatchObject({ width: 1200, height: 675 });
    expect(withCard.out).toMatch(/^Morning Brief \| /);
    expect(withCard.out).toBe(without.out);
    expect(without.err).toBe('');
  });
});

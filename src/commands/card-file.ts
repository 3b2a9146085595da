/** Writes a brief's market card to a file and says where (on stderr: stdout keeps the brief). */
import { writeFile as fsWriteFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Brief, Snapshot } from '../domain.ts';

export interface CardFileDeps {
  stderr: NodeJS.WritableStream;
  writeFile?: (path: string, data: Uint8Array) => Promise<void>;
}

/** Where `demo` puts the card unless told otherwise: the temp folder, not the working folder. */
export const defaultCardPath = (): string => join(tmpdir(), 'morning-brief-card.png');

/**
 * Draws the card of `brief` from `snapshot` and writes it to `path`; returns the absolute path,
 * or null (and says why) when the snapshot has nothing to chart.
 * @example await writeCardFile(result, defaultCardPath(), { stderr: process.stderr });
 */
export async function writeCardFile(run: { brief: Brief; snapshot: Snapshot }, path: string, deps: CardFileDeps): Promise<string | null> {
  const { cardForBrief } = await import('../card/card.ts');
  const png = await cardForBrief(run.brief, run.snapshot);
  if (!png) {
    deps.stderr.write('No market card: the snapshot has no price or index history.\n');
    return null;
  }
  const where = resolve(path);
  await (deps.writeFile ?? fsWriteFile)(where, png);
  deps.stderr.write(`Market card (1200x675 PNG, ${Math.round(png.length / 1024)} KB): ${where}\n`);
  return where;
}

/**
 * Reads and validates every day file of the labelled set (eval/stories/<lang>/*.json).
 * A file that is not valid JSON or breaks the schema is reported by name and path; the
 * caller decides what to do (the scorer exits 2).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoryDaySchema, type StoryDay } from './schema.ts';

export interface LoadedDay {
  file: string;
  day: StoryDay;
}

export interface LoadResult {
  days: LoadedDay[];
  /** One line per problem: "<file>: <path>: <message>". */
  errors: string[];
}

/** Loads every `YYYY-MM-DD.json` in `dir`, sorted by date. */
export async function loadStoryDays(dir: string): Promise<LoadResult> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const days: LoadedDay[] = [];
  const errors: string[] = [];
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(join(dir, file), 'utf8'));
    } catch (err) {
      errors.push(`${file}: not valid JSON: ${(err as Error).message}`);
      continue;
    }
    const parsed = StoryDaySchema.safeParse(raw);
    if (!parsed.success) {
      for (const e of parsed.error.issues) errors.push(`${file}: ${e.path.join('.') || '(root)'}: ${e.message}`);
      continue;
    }
    if (`${parsed.data.date}.json` !== file) {
      errors.push(`${file}: date ${parsed.data.date} does not match the file name`);
      continue;
    }
    days.push({ file, day: parsed.data });
  }
  return { days, errors };
}

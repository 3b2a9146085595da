/** `morning-brief history` (src/commands/history.ts): what the writer column says. */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runHistoryCommand } from '../../src/commands/history.ts';
import type { Db } from '../../src/store/db.ts';
import { sampleBrief } from '../helpers/sample-brief.ts';
import { memoryDb, storeBrief } from '../delivery/helpers.ts';

let db: Db;
afterEach(() => db.close());

function history(): string {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  expect(runHistoryCommand(db, { limit: 20, json: false }, { stdout, stderr: new PassThrough() })).toBe(0);
  return out;
}

describe('history', () => {
  it('does not flag an extractive brief written because no LLM is configured', () => {
    db = memoryDb();
    storeBrief(db, sampleBrief({ writerReason: 'auto: no LLM configured (OPENAI_API_KEY unset)' }));
    const out = history();
    expect(out).not.toContain('extractive*');
    expect(out).not.toContain('LLM');
  });

  it('flags an extractive brief that went out because the LLM failed, and says where to read why', () => {
    db = memoryDb();
    storeBrief(db, sampleBrief({ writerReason: 'llm: timeout after 60000 ms' }));
    storeBrief(db, sampleBrief({ writerReason: 'llm: no API key configured (OPENAI_API_KEY unset)' }));
    const out = history();
    expect(out.match(/extractive\*/g)).toHaveLength(2);
    expect(out).toContain('* the LLM was asked for and its brief was not used (why: the reason); `morning-brief show <id>` has the rest');
    expect(out).toContain('      why: llm: timeout after 60000 ms\n');
  });
});

/**
 * Summarises a V8 CPU profile (from `bench:fanout -- --profile DIR`): self time by function and
 * by package, so a bench result can say where the broadcast process spent its CPU.
 * Usage: tsx bench/cpu-profile.ts file.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const ProfileSchema = z.object({
  nodes: z.array(z.object({ id: z.number(), callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }) })),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
  startTime: z.number(),
  endTime: z.number(),
});

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
const profile = ProfileSchema.parse(JSON.parse(readFileSync(positionals[0]!, 'utf8')));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;
for (const [id, us] of self) {
  const frame = byId.get(id)!.callFrame;
  total += us;
  const where = frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/(src|bench|test)\//, '$1/');
  const pkg = frame.url.includes('/node_modules/') ? where.split('/')[where.startsWith('@') ? 1 : 0]! : frame.url.startsWith('node:') ? 'node:' + frame.url.slice(5).split('/')[0] : frame.url ? where.split('/').slice(0, 2).join('/') : `(${frame.functionName || 'native'})`;
  const key = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
}
const wallMs = (profile.endTime - profile.startTime) / 1000;
const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`profile: ${wallMs.toFixed(0)} ms of wall time, ${(total / 1000).toFixed(0)} ms sampled`);
console.log('\nby package (self time):');
for (const [k, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
console.log('\nby function (self time):');
for (const [k, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);

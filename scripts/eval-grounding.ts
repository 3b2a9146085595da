/**
 * `npm run eval:grounding`: the grounding checker over the corpus of true sentences phrased as
 * models phrase them and their altered twins (test/writers/grounding-corpus.ts). Prints the
 * false-refusal and false-acceptance counts and each miss; exit 1 when there is any.
 */
import { evaluateCorpus } from '../test/writers/grounding-corpus.ts';
import { makeInput } from '../test/writers/llm-fixtures.ts';

const result = evaluateCorpus(makeInput());
process.stdout.write(`grounding corpus: ${result.total} true sentences and ${result.total} altered twins\n`);
process.stdout.write(`false refusals (true sentence refused):     ${result.falseRefusals.length} of ${result.total}\n`);
process.stdout.write(`false acceptances (altered one accepted):   ${result.falseAcceptances.length} of ${result.total}\n`);
for (const r of result.falseRefusals) process.stdout.write(`  refused: ${r.text}\n    ${r.why.join('\n    ')}\n`);
for (const a of result.falseAcceptances) process.stdout.write(`  accepted: ${a}\n`);
process.exitCode = result.falseRefusals.length + result.falseAcceptances.length > 0 ? 1 : 0;

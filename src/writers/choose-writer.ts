/**
 * Which writer's brief goes out, and why. auto = the LLM when a key is configured. An LLM
 * brief must pass the grounding check; a failing one gets ONE repair request listing the
 * problems; if that fails too (or the call itself fails) the extractive brief goes out with
 * `writerReason` saying why. Every brief, whichever writer, is checked.
 */
import type { Config } from '../config.ts';
import type { Brief } from '../domain.ts';
import { writeExtractive } from './extractive.ts';
import { isChinese, writeExtractiveZh } from './extractive-zh/index.ts';
import { checkBriefZh } from './grounding-zh.ts';
import { checkBrief, listViolations, summarizeViolations } from './grounding.ts';
import { duplicateStories } from './one-per-story.ts';
import { classifyLlmError, writeLlm, type ChatMessage, type LlmError } from './llm.ts';
import type { PromptTemplates } from './prompt.ts';
import type { WriterInput, WriterUsage } from './types.ts';

export type WriterMode = 'llm' | 'extractive' | 'auto';

export interface WriterAttempt {
  /** "llm", "llm-repair" or "extractive". */
  writer: string;
  ok: boolean;
  reason: string | null;
}

export interface WriteBriefOptions {
  mode: WriterMode;
  llm: Config['llm'];
  /** Templates to use instead of `llm.promptsDir` (replay --prompts). */
  prompts?: PromptTemplates;
  fetch?: typeof fetch;
}

export interface WriteBriefResult {
  brief: Brief;
  /** Summed over the first call and the repair; null when no LLM answer came back. */
  usage: WriterUsage | null;
  attempts: WriterAttempt[];
}

const isEnglish = (language: string) => /^en\b/i.test(language);

function addUsage(total: WriterUsage | null, more: WriterUsage | null): WriterUsage | null {
  if (!more) return total;
  return { tokensIn: (total?.tokensIn ?? 0) + more.tokensIn, tokensOut: (total?.tokensOut ?? 0) + more.tokensOut };
}

/**
 * Writes the brief with the chosen writer, falling back to the extractive one.
 * @example
 * const { brief, usage, attempts } = await writeBrief(input, { mode: 'auto', llm: config.llm });
 * brief.writer // "llm", or "extractive" with brief.writerReason "llm: timeout after 60000 ms"
 */
export async function writeBrief(input: WriterInput, opts: WriteBriefOptions): Promise<WriteBriefResult> {
  const attempts: WriterAttempt[] = [];
  let usage: WriterUsage | null = null;
  // The grounding check, and one item per story (each story is one event).
  const storyById = new Map(input.stories.map((s) => [s.id, s]));
  // zh: the Chinese extractive writer and the Chinese-number grounding (issue 18).
  const zh = isChinese(input.language);
  const check = (brief: Brief) => [...(zh ? checkBriefZh : checkBrief)(brief, input), ...duplicateStories(brief.items, storyById)];

  const extractive = (reason: string | null): WriteBriefResult => {
    const brief = zh ? writeExtractiveZh(input) : writeExtractive(input);
    const violations = check(brief);
    attempts.push({ writer: 'extractive', ok: violations.length === 0, reason: violations.length ? `grounding: ${summarizeViolations(violations)}` : null });
    let writerReason = reason;
    if (reason !== null && !zh && !isEnglish(input.language)) writerReason = `${reason}; the extractive brief is English-only (${input.language} was requested)`;
    return { brief: { ...brief, writerReason }, usage, attempts };
  };

  if (opts.mode === 'extractive') return extractive(null);
  if (!opts.llm.apiKey) {
    return extractive(opts.mode === 'auto' ? 'auto: no LLM configured (OPENAI_API_KEY unset)' : 'llm: no API key configured (OPENAI_API_KEY unset)');
  }

  const base = { llm: opts.llm, ...(opts.prompts ? { templates: opts.prompts } : {}), ...(opts.fetch ? { fetch: opts.fetch } : {}) };
  let problems: string;
  let firstProblem: string;
  let history: ChatMessage[];
  try {
    const first = await writeLlm(input, base);
    usage = addUsage(usage, first.usage);
    const violations = check(first.brief);
    if (violations.length === 0) {
      attempts.push({ writer: 'llm', ok: true, reason: null });
      return { brief: first.brief, usage, attempts };
    }
    firstProblem = `grounding: ${summarizeViolations(violations)}`;
    attempts.push({ writer: 'llm', ok: false, reason: firstProblem });
    problems = listViolations(violations);
    history = first.messages;
  } catch (err) {
    const error = asLlmError(err, opts.llm);
    usage = addUsage(usage, error.usage);
    attempts.push({ writer: 'llm', ok: false, reason: error.message });
    if (!error.repairable) return extractive(`llm: ${error.message}`);
    firstProblem = error.message;
    problems = `- ${error.message}`;
    history = error.messages;
  }

  try {
    const second = await writeLlm(input, { ...base, history, repair: problems });
    usage = addUsage(usage, second.usage);
    const violations = check(second.brief);
    if (violations.length === 0) {
      attempts.push({ writer: 'llm-repair', ok: true, reason: null });
      return { brief: { ...second.brief, writerReason: `llm: accepted after one repair (${firstProblem})` }, usage, attempts };
    }
    const reason = `grounding failed after repair: ${summarizeViolations(violations)}`;
    attempts.push({ writer: 'llm-repair', ok: false, reason });
    return extractive(`llm: ${reason}`);
  } catch (err) {
    const error = asLlmError(err, opts.llm);
    usage = addUsage(usage, error.usage);
    attempts.push({ writer: 'llm-repair', ok: false, reason: error.message });
    return extractive(error.repairable ? `llm: ${error.message} after repair` : `llm: repair request failed: ${error.message} (first answer: ${firstProblem})`);
  }
}

function asLlmError(err: unknown, llm: Config['llm']): LlmError {
  return classifyLlmError(err, llm);
}

/**
 * US$ for the tokens used, or null when prices per million tokens are not configured.
 * @example costUsd({ tokensIn: 3000, tokensOut: 400 }, config.llm) // 0.00069 at $0.15/$0.60
 */
export function costUsd(usage: WriterUsage | null, llm: Pick<Config['llm'], 'priceInPerMTok' | 'priceOutPerMTok'>): number | null {
  if (!usage) return null;
  if (llm.priceInPerMTok === undefined && llm.priceOutPerMTok === undefined) return null;
  return (usage.tokensIn * (llm.priceInPerMTok ?? 0) + usage.tokensOut * (llm.priceOutPerMTok ?? 0)) / 1_000_000;
}

/**
 * The LLM writer: one `chat.completions` request to any OpenAI-compatible server, structured
 * output through a zod schema (`json_schema` via `zodResponseFormat`, or `json_object` plus
 * `safeParse`), timeouts and retries from the config. It returns the model's brief unchecked;
 * `choose-writer.ts` runs the grounding check, the one repair and the fallback.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { SectionSchema, type Brief } from '../domain.ts';
import { BodyTooLargeError, describeError } from '../errors.ts';
import { limitBodyFetch, MAX_BODY_BYTES } from '../util/http.ts';
import { assembleLlmBrief, type LlmDraft } from './brief-parts.ts';
import { approxTokens, loadPromptTemplates, renderPrompt, renderRepair, storyAliases, type PromptTemplates } from './prompt.ts';
import type { WriterInput, WriterUsage } from './types.ts';
import { DEFAULT_FRESHNESS, datedFactLines, judgeFreshness } from './freshness.ts';

export type LlmConfig = Config['llm'];

/** Sent as the response format: no length limits, which strict `json_schema` servers may refuse. */
const ResponseSchema = z.object({
  title: z.string(),
  leadA: z.string(),
  leadB: z.string(),
  items: z.array(z.object({ text: z.string(), storyIds: z.array(z.string()), section: SectionSchema })),
});

/** What we accept: the same shape, with nothing empty. */
export const LlmDraftSchema = z.object({
  title: z.string(),
  leadA: z.string().trim().min(1),
  leadB: z.string().trim().min(1),
  items: z.array(z.object({ text: z.string().trim().min(1), storyIds: z.array(z.string()), section: SectionSchema })).min(1),
});

/** The parts of a chat completion we read; checked because a "compatible" server may differ. */
const CompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional(), refusal: z.string().nullable().optional() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number().nonnegative(), completion_tokens: z.number().nonnegative() }).nullable().optional(),
});

export type LlmErrorKind =
  | 'config'
  | 'timeout'
  | 'network'
  | 'http'
  | 'empty'
  | 'invalid-json'
  | 'schema'
  | 'truncated'
  | 'refused';

/** Answer problems a second request may fix; transport problems were already retried by the SDK. */
const REPAIRABLE: ReadonlySet<LlmErrorKind> = new Set(['empty', 'invalid-json', 'schema', 'truncated', 'refused']);

/** The LLM call failed or its answer was unusable. The message is short, secret-free and fit for a run record. */
export class LlmError extends Error {
  override name = 'LlmError';
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    /** Tokens the server reported (or we estimated) for an answer that came back but was unusable. */
    readonly usage: WriterUsage | null = null,
    /** The conversation so far, including the unusable answer, for a repair request. */
    readonly messages: ChatMessage[] = [],
  ) {
    super(message);
  }

  get repairable(): boolean {
    return REPAIRABLE.has(this.kind);
  }
}

export type ChatMessage = ChatCompletionMessageParam;

export interface LlmWriteOptions {
  llm: LlmConfig;
  /** Already-loaded templates (replay --prompts); default: read from `llm.promptsDir`. */
  templates?: PromptTemplates;
  fetch?: typeof fetch;
  /** A previous conversation to continue with a repair request. */
  history?: ChatMessage[];
  /** The repair request's list of problems ("- item 2: price $3,450 not in data"). */
  repair?: string;
}

export interface LlmWriteResult {
  brief: Brief;
  usage: WriterUsage;
  /** The conversation including this answer, for a repair request. */
  messages: ChatMessage[];
}

function retriesText(n: number): string {
  return n === 1 ? '1 retry' : `${n} retries`;
}

function hideKey(text: string, apiKey: string | undefined): string {
  let out = text.replace(/\b(sk|key|api)[-_][A-Za-z0-9_*-]{6,}/gi, '<redacted>');
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('<redacted>');
  return describeError(out);
}

/** An SDK error as a short reason: "timeout after 60000 ms", "HTTP 500 after 2 retries". */
export function classifyLlmError(err: unknown, llm: LlmConfig): LlmError {
  if (err instanceof LlmError) return err;
  const tooLarge = findBodyTooLarge(err);
  if (tooLarge) return new LlmError('network', `answer larger than ${(tooLarge.maxBytes / 1_000_000).toFixed(1)} MB: stopped reading`);
  const retries = retriesText(llm.maxRetries);
  if (err instanceof APIConnectionTimeoutError) return new LlmError('timeout', `timeout after ${llm.timeoutMs} ms`);
  if (err instanceof APIUserAbortError) return new LlmError('timeout', 'request aborted');
  if (err instanceof APIConnectionError) {
    const cause = err.cause instanceof Error ? ((err.cause.cause as Error | undefined)?.message ?? err.cause.message) : err.message;
    return new LlmError('network', `network error: ${hideKey(cause, llm.apiKey)}${llm.maxRetries > 0 ? ` after ${retries}` : ''}`);
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status;
    // The server's own message can quote part of the key (OpenAI's 401 does): never repeat it.
    if (status === 401 || status === 403) return new LlmError('http', `HTTP ${status} from the LLM server (check the API key and model access)`);
    const retried = status === 429 || status === 408 || status === 409 || status >= 500;
    const serverMessage = typeof err.error === 'object' && err.error !== null && 'message' in err.error ? String((err.error as { message: unknown }).message) : '';
    const detail = serverMessage ? `: ${hideKey(serverMessage, llm.apiKey).slice(0, 160)}` : '';
    const hint = status === 400 && llm.responseFormat === 'json_schema' ? ' (if the server does not support json_schema, set LLM_RESPONSE_FORMAT=json_object)' : '';
    return new LlmError('http', `HTTP ${status}${retried && llm.maxRetries > 0 ? ` after ${retries}` : ''}${detail}${hint}`);
  }
  // Not from the SDK: a local problem (an edited prompt with an unknown placeholder, a missing file).
  return new LlmError('config', hideKey(err instanceof Error ? err.message : String(err), llm.apiKey));
}

/** The limit error, also when the SDK wrapped it in its own (as a cause). */
function findBodyTooLarge(err: unknown): BodyTooLargeError | null {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof BodyTooLargeError) return e;
  }
  return null;
}

/**
 * The OpenAI client for the configured server. Base URL and key are always passed, so the
 * SDK never picks up OPENAI_* variables behind the config's back.
 */
export function createLlmClient(llm: LlmConfig, fetchFn?: typeof fetch): OpenAI {
  if (!llm.apiKey) throw new LlmError('config', 'no API key configured (OPENAI_API_KEY)');
  return new OpenAI({
    apiKey: llm.apiKey,
    baseURL: llm.baseUrl ?? 'https://api.openai.com/v1',
    timeout: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    // Answers are read through a limit: a server streaming without end cannot fill the memory.
    fetch: limitBodyFetch(fetchFn ?? globalThis.fetch, MAX_BODY_BYTES),
  });
}

/** Models sometimes wrap JSON in a Markdown fence even when asked not to. */
function unfence(content: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i.exec(content);
  return fenced ? fenced[1]! : content;
}

function parseDraft(content: string): { ok: true; draft: LlmDraft } | { ok: false; kind: LlmErrorKind; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(unfence(content));
  } catch {
    return { ok: false, kind: 'invalid-json', message: 'invalid JSON in the answer' };
  }
  const parsed = LlmDraftSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 2).map((i) => `${i.path.join('.') || '(root)'} ${i.message}`);
    return { ok: false, kind: 'schema', message: `answer does not match the brief schema: ${issues.join('; ')}` };
  }
  return { ok: true, draft: parsed.data };
}

function requestBody(llm: LlmConfig, messages: ChatMessage[]): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: llm.model,
    messages,
    temperature: llm.temperature,
    response_format: llm.responseFormat === 'json_schema' ? zodResponseFormat(ResponseSchema, 'morning_brief') : { type: 'json_object' },
  };
  if (llm.maxTokensParam === 'max_completion_tokens') body.max_completion_tokens = llm.maxTokens;
  else body.max_tokens = llm.maxTokens;
  return body;
}

/**
 * Asks the model for a brief (or, with `history` and `repair`, for a corrected one) and
 * returns it as a Brief with writer "llm", unchecked. Throws LlmError.
 * @example const { brief, usage } = await writeLlm(input, { llm: config.llm });
 */
export async function writeLlm(input: WriterInput, opts: LlmWriteOptions): Promise<LlmWriteResult> {
  const { llm } = opts;
  const client = createLlmClient(llm, opts.fetch);
  const templates = opts.templates ?? loadPromptTemplates(llm.promptsDir);
  let messages: ChatMessage[];
  if (opts.history && opts.repair !== undefined) {
    messages = [...opts.history, { role: 'user', content: renderRepair(templates, input, opts.repair) }];
  } else {
    // The model is shown only figures still current at the snapshot's time, so it cannot write a stale one as today's.
    const current = { ...input, snapshot: judgeFreshness(input.snapshot, input.freshness ?? DEFAULT_FRESHNESS).current };
    const prompt = renderPrompt(templates, current, { maxStories: llm.maxStories, summaryChars: llm.summaryChars });
    // Rates, sentiment and flows past their rule may still be told, with their date.
    const dated = datedFactLines(input.snapshot, input.freshness ?? DEFAULT_FRESHNESS);
    const user = dated.length > 0 ? `${prompt.user.trimEnd()}\n\nOlder figures, not today's:\n${dated.join('\n')}\n` : prompt.user;
    messages = [
      { role: 'system', content: prompt.system },
      { role: 'user', content: user },
    ];
  }

  let raw: unknown;
  try {
    raw = await client.chat.completions.create(requestBody(llm, messages));
  } catch (err) {
    throw classifyLlmError(err, llm);
  }
  const completion = CompletionSchema.safeParse(raw);
  const promptChars = messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0), 0);
  if (!completion.success) throw new LlmError('empty', 'the server answered without a completion (no choices)', { tokensIn: Math.ceil(promptChars / 4), tokensOut: 0 }, messages);
  const choice = completion.data.choices[0]!;
  const content = choice.message.content ?? '';
  const usage: WriterUsage = completion.data.usage
    ? { tokensIn: completion.data.usage.prompt_tokens, tokensOut: completion.data.usage.completion_tokens }
    : { tokensIn: Math.ceil(promptChars / 4), tokensOut: approxTokens(content) };
  const withAnswer: ChatMessage[] = [...messages, { role: 'assistant', content: content || '(empty)' }];

  if (choice.message.refusal) throw new LlmError('refused', `the model refused: ${choice.message.refusal.slice(0, 120)}`, usage, withAnswer);
  if (content.trim() === '') {
    const why = choice.finish_reason === 'length' ? ` (cut at max tokens ${llm.maxTokens})` : '';
    throw new LlmError('empty', `empty answer${why}`, usage, withAnswer);
  }
  const parsed = parseDraft(content);
  if (!parsed.ok) {
    if (choice.finish_reason === 'length') throw new LlmError('truncated', `answer cut at max tokens (${llm.maxTokens})`, usage, withAnswer);
    throw new LlmError(parsed.kind, parsed.message, usage, withAnswer);
  }
  const brief = assembleLlmBrief(parsed.draft, input, { model: llm.model, aliases: storyAliases(input.stories, llm.maxStories) });
  return { brief, usage, messages: withAnswer };
}

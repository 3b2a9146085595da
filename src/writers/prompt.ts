/**
 * Fills the Markdown prompt templates in `prompts/` with the snapshot's facts and the top
 * ranked stories, each one event with the tellings it was merged from. The stories are cut to
 * `maxStories`, each summary to `summaryChars` and the tellings to a few, so the prompt's size
 * is bounded however many headlines were gathered. Stories are cited by short aliases (S1,
 * S2, ...) that small models copy reliably; `storyAliases` maps them back.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Indicator, Quote, Snapshot, Story } from '../domain.ts';
import { formatIndex, formatPct, formatPctLevel, formatProbability, formatUsd, formatUsdCompact, formatUsdMillions } from '../util/format.ts';
import { dataSourceName } from './extractive/labels.ts';
import { outletName } from './extractive/telling.ts';
import type { WriterInput } from './types.ts';

export interface PromptTemplates {
  system: string;
  user: string;
  /** The follow-up sent when the first answer fails the grounding check. */
  repair?: string;
}

export interface PromptOptions {
  maxStories: number;
  /** Longest summary carried per story, in characters. */
  summaryChars?: number;
  minItems?: number;
  maxItems?: number;
}

export const DEFAULT_SUMMARY_CHARS = 280;
const TITLE_CHARS = 200;
const MAX_OUTLETS = 4;

/** Thrown for a template that names a placeholder the code does not fill (a typo in an edited prompt). */
export class PromptTemplateError extends Error {
  override name = 'PromptTemplateError';
}

/** The package's own `prompts/` folder, used when the configured one does not exist. */
export const BUNDLED_PROMPTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../prompts');

const BUILT_IN_REPAIR =
  'Your brief cannot be published as it is. A check against the data found these problems:\n\n{{violations}}\n\n' +
  'Fix every problem and answer with the corrected JSON object only, in {{language}}.';

/**
 * Reads `system.md`, `user.md` and (optionally) `repair.md` from a folder; a relative folder
 * that does not exist falls back to the bundled prompts.
 * @example const templates = loadPromptTemplates(config.llm.promptsDir);
 */
export function loadPromptTemplates(dir: string): PromptTemplates {
  const folder = isAbsolute(dir) || existsSync(dir) ? dir : BUNDLED_PROMPTS_DIR;
  const read = (name: string) => readFileSync(join(folder, name), 'utf8');
  const repairPath = join(folder, 'repair.md');
  return { system: read('system.md'), user: read('user.md'), repair: existsSync(repairPath) ? read('repair.md') : BUILT_IN_REPAIR };
}

/**
 * Replaces `{{name}}` placeholders; a placeholder with no value is an error, not silence.
 * @example fillTemplate('Hello {{who}}', { who: 'world' }) // "Hello world"
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const unknown = new Set<string>();
  const out = template.replace(/\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      unknown.add(name);
      return whole;
    }
    return value;
  });
  if (unknown.size > 0) throw new PromptTemplateError(`prompt template uses unknown placeholder(s): ${[...unknown].map((n) => `{{${n}}}`).join(', ')}`);
  return out;
}

/** "zh" -> "Chinese (zh)"; an unknown code is used as it is. */
export function languageName(code: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

function truncate(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function quoteLine(q: Quote): string {
  const parts = [`price ${formatUsd(q.priceUsd)}`];
  if (q.change24hPct !== null) parts.push(`24h change ${formatPct(q.change24hPct)}`);
  if (q.volume24hUsd !== null) parts.push(`24h volume ${formatUsdCompact(q.volume24hUsd)}`);
  return `- ${q.symbol.toUpperCase()} (${q.name}): ${parts.join('; ')} [${dataSourceName(q.source)}]`;
}

function indicatorValue(ind: Indicator, value: number): string {
  switch (ind.unit) {
    case 'index':
      return formatIndex(value);
    case 'percent':
      return formatPctLevel(value);
    case 'probability':
      return formatProbability(value);
    case 'usd_millions':
      return formatUsdMillions(value);
  }
}

function indicatorLine(ind: Indicator): string {
  let text = `- ${ind.label}: ${indicatorValue(ind, ind.value)}`;
  if (ind.classification) text += ` (${ind.classification})`;
  if (ind.previous !== null) {
    text += `; previous ${indicatorValue(ind, ind.previous)}`;
    const change = ind.value - ind.previous;
    if (ind.unit === 'index') text += ` (change ${change > 0 ? '+' : ''}${formatIndex(change)})`;
    if (ind.unit === 'percent') text += ` (change ${change > 0 ? '+' : ''}${Math.round(change * 100)} bps)`;
  }
  if (ind.detail) text += `; ${truncate(ind.detail, 160)}`;
  return `${text} [${dataSourceName(ind.source)}]`;
}

/** The market facts block: one line per quote and indicator, numbers as the formatter writes them. */
export function formatFacts(snapshot: Snapshot): string {
  const lines = [...snapshot.quotes.map(quoteLine), ...snapshot.indicators.map(indicatorLine)];
  return lines.length > 0 ? lines.join('\n') : '- (no market data was gathered today)';
}

/** The alias a story is cited by in the prompt: the first story is "S1". */
export function storyAlias(index: number): string {
  return `S${index + 1}`;
}

/** Alias -> story id for the stories the prompt carries. */
export function storyAliases(stories: readonly Story[], maxStories: number): Map<string, string> {
  return new Map(stories.slice(0, maxStories).map((s, i) => [storyAlias(i), s.id]));
}

/** Tellings listed per story: enough to show how the event was told, bounded for the prompt's size. */
const MAX_TELLINGS = 4;

function storyBlock(story: Story, index: number, summaryChars: number): string {
  const outlets = [...new Set(story.sources.map(outletName))];
  const shown = outlets.slice(0, MAX_OUTLETS).join(', ') + (outlets.length > MAX_OUTLETS ? ` and ${outlets.length - MAX_OUTLETS} more` : '');
  const meta = [`Outlets: ${shown}`, `Published: ${story.publishedAt ? utc(story.publishedAt) : 'unknown'}`];
  if (story.topics.length > 0) meta.push(`Topics: ${story.topics.join(', ')}`);
  const lines = [`[${storyAlias(index)}] ${truncate(story.title, TITLE_CHARS)}`, `    ${meta.join(' · ')}`];
  const summary = truncate(story.summary, summaryChars);
  if (summary !== '') lines.push(`    Summary: ${summary}`);
  // The same event as each outlet told it: one story, however many tellings.
  const others = story.sources.filter((s) => s.title !== story.title).slice(0, MAX_TELLINGS - 1);
  if (others.length > 0) {
    lines.push(`    Also told as (${story.sources.length} tellings, one event):`);
    for (const t of others) lines.push(`    - ${outletName(t)}: ${truncate(t.title, TITLE_CHARS)}`);
  }
  return lines.join('\n');
}

/**
 * Fills already-loaded templates (pure: no file access).
 * @example const { system, user } = renderPrompt(loadPromptTemplates('prompts'), input, { maxStories: 24 });
 */
export function renderPrompt(templates: PromptTemplates, input: WriterInput, opts: PromptOptions): { system: string; user: string } {
  const stories = input.stories.slice(0, opts.maxStories);
  const summaryChars = opts.summaryChars ?? DEFAULT_SUMMARY_CHARS;
  const values: Record<string, string> = {
    briefName: input.briefName,
    language: languageName(input.language),
    languageCode: input.language,
    takenAt: utc(input.snapshot.takenAt),
    date: input.snapshot.takenAt.slice(0, 10),
    facts: formatFacts(input.snapshot),
    stories: stories.length > 0 ? stories.map((s, i) => storyBlock(s, i, summaryChars)).join('\n\n') : '(no stories were gathered today)',
    storyCount: String(stories.length),
    storyTotal: String(input.stories.length),
    minItems: String(opts.minItems ?? Math.min(5, Math.max(1, stories.length))),
    maxItems: String(opts.maxItems ?? 10),
  };
  return { system: fillTemplate(templates.system, values), user: fillTemplate(templates.user, values) };
}

/**
 * The repair request: the repair template with the violations listed.
 * @example renderRepair(templates, input, '- item 2: price $3,450 not in data')
 */
export function renderRepair(templates: PromptTemplates, input: WriterInput, violations: string): string {
  return fillTemplate(templates.repair ?? BUILT_IN_REPAIR, { violations, language: languageName(input.language), languageCode: input.language, briefName: input.briefName });
}

/**
 * The system and user prompts for one brief, from the templates in `promptsDir`.
 * @example const { system, user } = buildPrompt(input, { maxStories: 24, promptsDir: 'prompts' });
 */
export function buildPrompt(input: WriterInput, opts: { maxStories: number; promptsDir: string; summaryChars?: number }): { system: string; user: string } {
  const options: PromptOptions = { maxStories: opts.maxStories };
  if (opts.summaryChars !== undefined) options.summaryChars = opts.summaryChars;
  return renderPrompt(loadPromptTemplates(opts.promptsDir), input, options);
}

/** Rough token count (about 4 characters a token) for when the server reports no usage. */
export function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

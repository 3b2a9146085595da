/** The one interface every writer implements. */
import type { Brief, Snapshot, Story } from '../domain.ts';
import type { FreshnessRules } from './freshness.ts';

export interface WriterInput {
  snapshot: Snapshot;
  /** Ranked, best first. */
  stories: Story[];
  briefName: string;
  language: string;
  /** When the brief is written (createdAt). */
  now: Date;
  /** How old a figure may be and still count as current (default DEFAULT_FRESHNESS); judged at snapshot.takenAt. */
  freshness?: Readonly<FreshnessRules>;
}

export interface WriterUsage {
  tokensIn: number;
  tokensOut: number;
}

export interface WriterOutput {
  brief: Brief;
  usage: WriterUsage | null;
}

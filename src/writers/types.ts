/** The one interface every writer implements. */
import type { Brief, Snapshot, Story } from '../domain.ts';

export interface WriterInput {
  snapshot: Snapshot;
  /** Ranked, best first. */
  stories: Story[];
  briefName: string;
  language: string;
  /** When the brief is written (createdAt). */
  now: Date;
}

export interface WriterUsage {
  tokensIn: number;
  tokensOut: number;
}

export interface WriterOutput {
  brief: Brief;
  usage: WriterUsage | null;
}

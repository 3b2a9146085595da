/** Which section of the brief a story belongs to, from its topics, and the order of sections. */
import type { Section, Topic } from '../../domain.ts';

/** The paragraph's order: macro & Fed, prices, ETFs & institutions, exchanges, regulation, the rest. */
export const SECTION_ORDER: readonly Section[] = ['macro', 'prices', 'etf', 'exchange', 'regulation', 'other'];

/**
 * First matching topic wins. On-chain and security stories go to "other" before "exchange",
 * so "whales deposit BTC to exchanges" reads with the on-chain news, not the exchange news;
 * bare btc/eth (a price story) comes last so any more specific topic decides first.
 */
const TOPIC_SECTIONS: ReadonlyArray<readonly [Topic, Section]> = [
  ['fed', 'macro'],
  ['macro', 'macro'],
  ['etf', 'etf'],
  ['institutions', 'etf'],
  ['onchain', 'other'],
  ['security', 'other'],
  ['exchange', 'exchange'],
  ['regulation', 'regulation'],
  ['stablecoin', 'other'],
  ['altcoins', 'other'],
  ['btc', 'prices'],
  ['eth', 'prices'],
];

/**
 * @example sectionFor(['exchange', 'regulation']) // "exchange"
 */
export function sectionFor(topics: readonly Topic[]): Section {
  for (const [topic, section] of TOPIC_SECTIONS) if (topics.includes(topic)) return section;
  return 'other';
}

export function sectionRank(section: Section): number {
  return SECTION_ORDER.indexOf(section);
}

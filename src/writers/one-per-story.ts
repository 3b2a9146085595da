/**
 * One item per event: the grounding rule that an item citing a story an earlier item already
 * cites tells that event twice (the stories are clustered, so one story is one event).
 */
import type { BriefItem, Story } from '../domain.ts';
import type { Violation } from './grounding.ts';

/**
 * @example duplicateStories([{ storyIds: ['a'] }, { storyIds: ['a'] }], stories) // one 'duplicate-story' for item 2
 */
export function duplicateStories(items: readonly Pick<BriefItem, 'storyIds'>[], storyById: ReadonlyMap<string, Story>): Violation[] {
  const violations: Violation[] = [];
  const firstCiting = new Map<string, number>();
  items.forEach((item, index) => {
    for (const id of new Set(item.storyIds)) {
      const first = firstCiting.get(id);
      if (first === undefined) firstCiting.set(id, index);
      else if (storyById.has(id)) violations.push({ kind: 'duplicate-story', detail: `tells the same story as item ${first + 1}: one item per story`, itemIndex: index });
    }
  });
  return violations;
}

/** A recorded Discord post without its market card, after checking the card is attached as Discord needs it. */
import { expect } from 'vitest';
import type { RecordedMessage } from '../fakes/discord-server.ts';

/**
 * The body as it would be without the card: a post that uploaded a file must name it as the first
 * embed's image (`attachment://card.png`) and in `attachments`; those two are then removed, so the
 * rest can be compared with the rendered parts exactly.
 */
export function withoutCard(m: RecordedMessage): unknown {
  if (!m.files) return m.body;
  expect(m.files.map((f) => [f.field, f.filename, f.type])).toEqual([['files[0]', 'card.png', 'image/png']]);
  // A copy with the two card fields deleted: the other keys keep their order for an exact comparison.
  const body = structuredClone(m.body) as { attachments?: unknown; embeds: Array<Record<string, unknown>> };
  expect(body.attachments).toEqual([{ id: 0, filename: 'card.png' }]);
  delete body.attachments;
  expect(body.embeds[0]!.image).toEqual({ url: 'attachment://card.png' });
  delete body.embeds[0]!.image;
  return body;
}

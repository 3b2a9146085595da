/**
 * The market card on Discord: the first embed's image, either the archive's card URL (PUBLIC_URL
 * set: nothing uploaded per channel) or the PNG itself as an attachment (`attachment://card.png`,
 * multipart `payload_json` + `files[0]`).
 */
import type { DiscordMessagePayload } from '../render/discord-embed.ts';

export const CARD_ATTACHMENT_NAME = 'card.png';

export type DiscordCard = { kind: 'url'; url: string } | { kind: 'attachment'; png: Uint8Array };

/** The card the first message of a brief carries, or null (no card for this brief). */
export type DiscordCardSource = (briefId: number) => Promise<DiscordCard | null>;

/** The payload with the card as its first embed's image (unchanged when it has no embed). */
export function withCardImage(body: DiscordMessagePayload, card: DiscordCard): DiscordMessagePayload {
  const [first, ...rest] = body.embeds;
  if (!first) return body;
  const url = card.kind === 'url' ? card.url : `attachment://${CARD_ATTACHMENT_NAME}`;
  return { ...body, embeds: [{ ...first, image: { url } }, ...rest] };
}

/**
 * The body to post: JSON with the card URL, or a multipart form carrying the PNG.
 * @example await fetch(url, { method: 'POST', body: cardBody(payload, card) })
 */
export function cardBody(body: DiscordMessagePayload, card: DiscordCard): DiscordMessagePayload | FormData {
  const withImage = withCardImage(body, card);
  if (card.kind === 'url' || withImage === body) return withImage;
  const form = new FormData();
  form.append('payload_json', JSON.stringify({ ...withImage, attachments: [{ id: 0, filename: CARD_ATTACHMENT_NAME }] }));
  form.append('files[0]', new Blob([card.png], { type: 'image/png' }), CARD_ATTACHMENT_NAME);
  return form;
}

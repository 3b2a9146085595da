/**
 * The market card on Telegram: sendPhoto before the brief's text, the PNG uploaded once per
 * brief (multipart) and the file_id Telegram returns reused for every other chat. Message ids
 * of card photos are marked "card:<id>" so a resumed send knows the photo already went.
 */
import { z } from 'zod';
import type { BotApiCaller } from './bot-api-client.ts';

/** Telegram's caption limit (characters after entity parsing; we send plain text). */
export const CAPTION_LIMIT = 1024;
const CARD_ID_PREFIX = 'card:';

export const isCardMessageId = (id: string): boolean => id.startsWith(CARD_ID_PREFIX);

const SentPhotoSchema = z
  .object({
    message_id: z.number().int(),
    photo: z.array(z.object({ file_id: z.string().min(1) }).passthrough()).min(1),
  })
  .passthrough();

export interface TelegramCardOptions {
  telegram: BotApiCaller;
  /** The brief's card PNG, or null when it has none (src/card/store.ts). */
  png: (briefId: number) => Promise<Uint8Array | null>;
  timeoutMs: number;
  paidBroadcast?: boolean;
}

export interface TelegramCardSender {
  /** Sends the card to `chatId` with `caption`; the marked message id, or null when the brief has no card. */
  send(chatId: string, briefId: number, caption: string, threadId?: number | null): Promise<string | null>;
}

/** The title as a caption: plain text, cut to Telegram's limit. */
export function cardCaption(title: string): string {
  const chars = [...title];
  return chars.length <= CAPTION_LIMIT ? title : `${chars.slice(0, CAPTION_LIMIT - 1).join('')}…`;
}

/**
 * @example const cards = createTelegramCardSender({ telegram, png: (id) => store.png(id), timeoutMs: 30_000 });
 *   const id = await cards.send('42', 7, brief.title); // 'card:101' (uploaded) ... then file_id for the rest
 */
export function createTelegramCardSender(options: TelegramCardOptions): TelegramCardSender | null {
  const { telegram } = options;
  if (!telegram.upload) return null;
  const upload = telegram.upload.bind(telegram);
  const fileIds = new Map<number, string>();
  /** The upload in flight per brief: other chats wait for its file_id instead of uploading too. */
  const uploading = new Map<number, Promise<unknown>>();

  const fields = (chatId: string, caption: string, threadId?: number | null): Record<string, string> => ({
    chat_id: chatId,
    // A forum topic's subscription gets its card in the topic too.
    ...(threadId ? { message_thread_id: String(threadId) } : {}),
    caption,
    ...(options.paidBroadcast ? { allow_paid_broadcast: 'true' } : {}),
  });

  async function sendByFileId(chatId: string, fileId: string, caption: string, threadId?: number | null): Promise<string> {
    const payload = { ...fields(chatId, caption, threadId), ...(options.paidBroadcast ? { allow_paid_broadcast: true } : {}), photo: fileId };
    const result = await telegram.callApi('sendPhoto', payload, { signal: AbortSignal.timeout(options.timeoutMs) });
    return `${CARD_ID_PREFIX}${SentPhotoSchema.parse(result).message_id}`;
  }

  return {
    async send(chatId, briefId, caption, threadId) {
      // Another chat's upload of this card in flight: wait for its file_id (if it fails, try again).
      for (let inFlight = uploading.get(briefId); inFlight; inFlight = uploading.get(briefId)) await inFlight.catch(() => undefined);
      const known = fileIds.get(briefId);
      if (known) return sendByFileId(chatId, known, caption, threadId);
      // Registered before any await, so chats starting together wait for this one upload.
      const attempt = (async () => {
        const png = await options.png(briefId);
        if (!png) return null;
        const file = { field: 'photo', filename: 'card.png', type: 'image/png', data: png };
        const sent = SentPhotoSchema.parse(await upload('sendPhoto', fields(chatId, caption, threadId), file, { signal: AbortSignal.timeout(options.timeoutMs) }));
        // The largest size's file_id; any size's id resends the same photo.
        fileIds.set(briefId, sent.photo.at(-1)!.file_id);
        return `${CARD_ID_PREFIX}${sent.message_id}`;
      })();
      uploading.set(briefId, attempt);
      try {
        return await attempt;
      } finally {
        if (uploading.get(briefId) === attempt) uploading.delete(briefId);
      }
    },
  };
}

import type { ContentBlock, ImageFormat, Message, ToolResultContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { imageSize } from '../chat/tokens';

/**
 * Bedrock's Converse limits for images (Message.content): PNG, JPEG, GIF or
 * WebP; each at most 3.75 MB and 8,000 px high and wide; at most 20 per
 * request; only in user messages. An image outside them fails the whole
 * request with a ValidationException, so it is replaced by a placeholder
 * that says why, and the rest goes. Bytes are counted in decimal megabytes,
 * the smaller reading.
 */
export const MAX_IMAGE_BYTES = 3_750_000;
export const MAX_IMAGE_PIXELS = 8_000;
export const MAX_IMAGES = 20;

/** The format the bytes are in, whatever the editor called them; undefined when not one Bedrock takes. */
export function sniffImageFormat(data: Uint8Array): ImageFormat | undefined {
  const b = data;
  if (b.length >= 4 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'gif';
  if (b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return 'webp';
  return undefined;
}

const mb = (n: number) => (n / 1_000_000).toFixed(2);

/**
 * The format to send for an image, or why it cannot be sent. The format is
 * read from the bytes: a PNG labelled image/jpeg is sent as PNG, since
 * Bedrock checks.
 */
export function checkImage(data: Uint8Array, declared: string): { format: ImageFormat } | { problem: string } {
  const format = sniffImageFormat(data);
  if (!format) return { problem: `its data is not a PNG, JPEG, GIF or WebP image (it was labelled ${declared}), the formats Bedrock accepts` };
  if (data.byteLength > MAX_IMAGE_BYTES) return { problem: `it is ${mb(data.byteLength)} MB and Bedrock accepts at most 3.75 MB per image` };
  const [w, h] = imageSize(data);
  if (w > MAX_IMAGE_PIXELS || h > MAX_IMAGE_PIXELS) return { problem: `it is ${w}×${h} pixels and Bedrock accepts at most 8,000 pixels on each side` };
  return { format };
}

type ImageHolder = { list: (ContentBlock | ToolResultContentBlock)[]; index: number };

/** Keeps the latest MAX_IMAGES images (the newest are what the user is asking about); older ones become placeholders. */
export function limitImages(turns: Message[], leftOut: (reason: string) => string): void {
  const holders: ImageHolder[] = [];
  for (const turn of turns) {
    turn.content!.forEach((b, index) => {
      if (b.image) holders.push({ list: turn.content!, index });
      b.toolResult?.content?.forEach((c, i) => c.image && holders.push({ list: b.toolResult!.content!, index: i }));
    });
  }
  const excess = holders.length - MAX_IMAGES;
  for (const h of holders.slice(0, Math.max(0, excess))) {
    h.list[h.index] = { text: leftOut(`An earlier image was left out: Bedrock accepts at most ${MAX_IMAGES} images per request, and the latest ${MAX_IMAGES} were sent.`) };
  }
}

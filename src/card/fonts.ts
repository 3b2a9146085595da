/** The card's fonts: Inter from the @fontsource/inter npm package, read by path (never a system font). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface CardFont {
  name: string;
  data: Buffer;
  weight: 400 | 600 | 700;
  style: 'normal';
}

const WEIGHTS = [400, 600, 700] as const;
let cached: CardFont[] | null = null;

/** The folder of @fontsource/inter's font files (satori reads .woff, not .woff2). */
export function interFontDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@fontsource/inter/package.json')), 'files');
}

/**
 * Inter Latin in three weights, read once per process.
 * @example const fonts = loadCardFonts(); await satori(tree, { width, height, fonts });
 */
export function loadCardFonts(): CardFont[] {
  if (cached) return cached;
  const dir = interFontDir();
  cached = WEIGHTS.map((weight) => ({
    name: 'Inter',
    data: readFileSync(join(dir, `inter-latin-${weight}-normal.woff`)),
    weight,
    style: 'normal' as const,
  }));
  return cached;
}

/** The one language-code check: config (BRIEF_LANGUAGE, editions), every --lang, the bots' /lang. */

export const LANGUAGE_HELP = 'a two-letter language code like en, de, es, zh';

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** "de" -> "de", "EN" -> "en", "pt-br" -> "pt-BR", "zh-hans" -> "zh-Hans"; null when not a known language. */
export function parseLanguage(input: string): string | null {
  const text = input.trim();
  if (!/^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?$/.test(text)) return null;
  let canonical: string;
  try {
    [canonical = ''] = Intl.getCanonicalLocales(text);
  } catch {
    return null;
  }
  const base = canonical.split('-')[0]!;
  const name = languageNames.of(base);
  return name && name !== base ? canonical : null;
}

/** The language's English name ("German"), or the code itself. */
export function languageName(code: string): string {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The message for a bad --lang (or a bot's language option), naming what was given. */
export function languageProblem(input: string, what = '--lang'): string {
  return `${what} "${input}" is not valid: expected ${LANGUAGE_HELP}`;
}

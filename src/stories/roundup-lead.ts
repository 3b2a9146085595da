/** A listing newsletter's lead story, so the newsletter joins that story's cluster. */
/**
 * A listing newsletter's first item, its lead story: "The Daily: Samsung partners with
 * Coinbase ..., Walmart-backed OnePay ..., and more" tells the Samsung story first and best.
 * Null for any other headline.
 * @example roundupLead('The Daily: Ripple CTO announces exit, WLFI explores RWAs, and more') // 'Ripple CTO announces exit'
 */
export function roundupLead(title: string): string | null {
  const m = /^[^:]{3,40}:\s+(.+?),\s.*\band more\s*[.!]?$/iu.exec(title.trim());
  const first = m?.[1]?.trim();
  return first !== undefined && first.split(/\s+/u).length >= 3 ? first : null;
}

import type { EventKind } from '../events/event-types.js';
import { TAG_LEXICON, tagForTerm } from '../text/tag-lexicon.js';

/**
 * Interest in a tag: the one rule the persona ranks by and broadcast segments select on
 * (models/repositories/pg-follower-concepts.ts generates the segment SQL from these constants).
 *
 * A follower's weight for a tag is the sum, over their events on courses carrying the tag, of
 * {@link INTEREST_WEIGHTS}[kind], plus {@link MESSAGE_TERM_WEIGHT} for every message term that
 * maps to the tag (core/text/tag-lexicon.ts); each event counts less with age, halving every
 * {@link INTEREST_HALF_LIFE_DAYS}, measured from the start of its hour (course events) or day
 * (message terms), as the persona aggregates them. A follower is interested in a tag when its
 * weight exceeds {@link MIN_INTEREST_WEIGHT}. The persona shows the ten strongest such tags; a
 * segment matches any of them.
 */

/** How much each kind of event says about interest in a course's topics. Refunds count against. */
export const INTEREST_WEIGHTS: Readonly<Partial<Record<EventKind, number>>> = {
  view: 1, click: 1.5, like: 2, comment: 2, share: 2.5, checkout: 4, purchase: 6, refund: -6,
};
export const MESSAGE_TERM_WEIGHT = 1.5;
/** Interest decays with a 30-day half-life: what someone did last week counts more than last year. */
export const INTEREST_HALF_LIFE_DAYS = 30;
/**
 * The least weight that counts as interest. Not zero, so that a purchase and its refund in the
 * same hour cancel whatever the order of floating-point sums; about 30 half-lives (2.5 years)
 * brings one view below it.
 */
export const MIN_INTEREST_WEIGHT = 1e-9;

/**
 * The message terms (lower case) that point at any of `tags`, for SQL that cannot call
 * `tagForTerm`: pairs of term and tag.
 *
 * @example
 * termsForTags(['photography']); // [['photography', 'photography'], ['摄影', 'photography'], …]
 */
export function termsForTags(tags: readonly string[] | 'all'): Array<[term: string, tag: string]> {
  const wanted = tags === 'all' ? null : new Set(tags);
  const pairs = new Map<string, string>();
  for (const [tag, words] of Object.entries(TAG_LEXICON)) {
    for (const word of [tag, ...words]) {
      const term = word.toLowerCase();
      const target = tagForTerm(term);
      if (target && (!wanted || wanted.has(target))) pairs.set(term, target);
    }
  }
  return [...pairs];
}

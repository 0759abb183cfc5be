/**
 * The intents the understanding model tells apart. `out_of_scope` is both a trained class (weather,
 * flights, homework) and what any message below the confidence threshold becomes.
 */
export const INTENTS = [
  'greeting',
  'thanks',
  'small_talk',
  'recommend',
  'search',
  'price',
  'price_objection',
  'course_details',
  'buy',
  'my_courses',
  'how_to_study',
  'refund',
  'complaint',
  'human',
  'unsubscribe',
  'resubscribe',
  'switch_language',
  'help',
  'out_of_scope',
] as const;

export type IntentName = (typeof INTENTS)[number];

const INTENT_SET: ReadonlySet<string> = new Set(INTENTS);

/**
 * Whether a string names one of the intents.
 *
 * @example
 * isIntentName('refund') // true
 */
export function isIntentName(value: string): value is IntentName {
  return INTENT_SET.has(value);
}

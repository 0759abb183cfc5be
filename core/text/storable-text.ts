/** NUL, and UTF-16 surrogates without their pair: PostgreSQL stores neither in text or jsonb. */
// eslint-disable-next-line no-control-regex -- NUL is exactly the character this looks for.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const HAS_UNSTORABLE = new RegExp(UNSTORABLE.source);

/**
 * A string PostgreSQL can store: NUL characters and lone surrogates become U+FFFD (the
 * replacement character), so the rest of the text survives and the loss stays visible.
 *
 * @example
 * storableText('a\u0000b'); // 'a\uFFFDb'
 */
export function storableText(text: string): string {
  return HAS_UNSTORABLE.test(text) ? text.replace(UNSTORABLE, '\uFFFD') : text;
}

/**
 * {@link storableText} applied to every string (and object key) inside a JSON-like value. Returns
 * the same value when nothing needed replacing, so clean input costs no copies.
 *
 * @example
 * storableValue({ payload: { text: 'hi\u0000' } }); // { payload: { text: 'hi\uFFFD' } }
 */
export function storableValue(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) {
    const items = value.map(storableValue);
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  let changed = false;
  const entries = Object.entries(value).map(([key, item]) => {
    const safeKey = storableText(key);
    const safeItem = storableValue(item);
    if (safeKey !== key || safeItem !== item) changed = true;
    return [safeKey, safeItem] as const;
  });
  return changed ? Object.fromEntries(entries) : value;
}

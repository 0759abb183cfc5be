import { ValidationError } from '../../errors.js';
import type { InteractionTable } from './split.js';

/**
 * Parses interactions: TSV/whitespace `user item [rating] [timestamp]` (MovieLens `u.data`), or CSV
 * with a header `userId,itemId[,rating][,timestamp]`. Every row is a positive; ids are kept as strings.
 *
 * @example
 * parseInteractions('1\t10\t5\t881250949\n2\t10\t3\t881250950\n').users // Int32Array [0, 1]
 */
export function parseInteractions(text: string): InteractionTable {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  const first = lines[0] ?? '';
  const isCsv = first.includes(',');
  const hasHeader = isCsv && /[a-z]/i.test(first.split(',')[0] ?? '');
  let timeColumn = 3;
  let ratingColumn = 2;
  if (hasHeader) {
    const header = first.split(',').map((h) => h.trim().toLowerCase());
    const t = header.findIndex((h) => h === 'timestamp' || h === 'time');
    timeColumn = t >= 0 ? t : header.length === 3 && !header.includes('rating') ? 2 : 3;
    ratingColumn = header.indexOf('rating');
  }
  const body = hasHeader ? lines.slice(1) : lines;
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const users = new Int32Array(body.length);
  const items = new Int32Array(body.length);
  const timestamps = new Float64Array(body.length);
  const ratings = new Float64Array(body.length);
  body.forEach((line, r) => {
    const fields = isCsv ? line.split(',').map((f) => f.trim()) : line.trim().split(/\s+/);
    const [user, item] = fields;
    if (!user || !item) throw new ValidationError('bad_interaction_row', `Line ${r + (hasHeader ? 2 : 1)} needs at least a user and an item: ${JSON.stringify(line)}`);
    if (!userIndex.has(user)) userIndex.set(user, userIndex.size);
    if (!itemIndex.has(item)) itemIndex.set(item, itemIndex.size);
    users[r] = userIndex.get(user)!;
    items[r] = itemIndex.get(item)!;
    const time = fields[timeColumn];
    timestamps[r] = time === undefined ? Number.NaN : Number(time);
    const rating = ratingColumn >= 0 ? fields[ratingColumn] : undefined;
    ratings[r] = rating === undefined || rating === '' ? Number.NaN : Number(rating);
  });
  return { userIds: [...userIndex.keys()], itemIds: [...itemIndex.keys()], users, items, timestamps, ratings };
}

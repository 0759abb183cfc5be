import { topK } from '../data/top-k.js';

/**
 * One candidate generator's scores for one follower, by course index, each with what drove it
 * most (a liked course id or a tag: the contribution that added most, among those naming one).
 * A request adds thousands of contributions, so they go into typed arrays indexed by course, with
 * the courses listed in the order first scored, instead of a map of objects keyed by course id.
 *
 * @example
 * const cf = new GeneratorScores(model.artifact.courseIds, model.indexOf);
 * cf.add(7, 0.4, cf.source('liked-course-id'));
 * cf.normalise();
 * cf.scoreOf(model.artifact.courseIds[7]!) // 1
 */
export class GeneratorScores {
  /**
   * Per course, three numbers: the score, the strongest contribution naming a source, and who
   * drove it (0 not scored, 1 scored by contributions naming nothing, k + 2 most by `sources[k]`).
   * One buffer, allocated at the first contribution: a generator that proposes nothing costs nothing.
   */
  private byCourse: Float64Array | null = null;
  private readonly sources: string[] = [];
  /** Course indices scored, in the order first scored (ties among equal scores keep this order). */
  readonly scored: number[] = [];

  constructor(
    private readonly courseIds: readonly string[],
    private readonly indexOf: ReadonlyMap<string, number>,
  ) {}

  /** What the next contributions come from (a liked course id or a tag), as a number to `add` with. */
  source(name: string): number {
    this.sources.push(name);
    return this.sources.length + 1;
  }

  /**
   * Adds `score` to course `index`; `driver` from {@link source}, or 1 when the contribution names
   * nothing. What drove a score is one that added to it, never one that took away (EASE's can be negative).
   */
  add(index: number, score: number, driver = 1): void {
    this.byCourse ??= new Float64Array(3 * this.courseIds.length);
    const at = 3 * index;
    const c = this.byCourse;
    if (c[at + 2] === 0) {
      this.scored.push(index);
      c[at] = score;
      c[at + 1] = score > 0 ? score : 0;
      c[at + 2] = score > 0 ? driver : 1;
      return;
    }
    c[at] = c[at]! + score;
    if (driver > 1 && score > c[at + 1]!) {
      c[at + 1] = score;
      c[at + 2] = driver;
    }
  }

  /** Scales the scores into [-1, 1] by the largest magnitude (none above 1e-9: left as they are). */
  normalise(): void {
    const c = this.byCourse;
    if (!c) return;
    let max = 1e-9;
    for (const i of this.scored) if (Math.abs(c[3 * i]!) > max) max = Math.abs(c[3 * i]!);
    for (const i of this.scored) c[3 * i] = c[3 * i]! / max;
  }

  get size(): number {
    return this.scored.length;
  }

  /** The score of course `index` (of this generator's courses); 0 when it was not scored or `index` is undefined. */
  scoreAt(index: number | undefined): number {
    return index === undefined || !this.byCourse ? 0 : this.byCourse[3 * index] ?? 0;
  }

  scoreOf(courseId: string): number {
    return this.scoreAt(this.indexOf.get(courseId));
  }

  /** What drove the course's score most; undefined when not scored or nothing named. */
  drivenBy(courseId: string): string | undefined {
    const i = this.indexOf.get(courseId);
    const driver = i === undefined || !this.byCourse ? 0 : this.byCourse[3 * i + 2] ?? 0;
    return driver > 1 ? this.sources[driver - 2] : undefined;
  }

  /** The ids of the courses scored, in the order first scored. */
  ids(): string[] {
    return this.scored.map((i) => this.courseIds[i]!);
  }

  /** The `n` best-scored course ids (all when fewer); ties in the order first scored, so it is deterministic. */
  best(n: number): string[] {
    if (this.scored.length <= n) return this.ids();
    const scores = new Float64Array(this.scored.length);
    for (let k = 0; k < scores.length; k++) scores[k] = this.byCourse![3 * this.scored[k]!]!;
    return topK(scores, n).map((k) => this.courseIds[this.scored[k]!]!);
  }
}

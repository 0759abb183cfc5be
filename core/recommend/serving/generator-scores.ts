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
  private readonly scores: Float64Array;
  private readonly strongest: Float64Array;
  /** Per course: 0 not scored, 1 scored by contributions naming nothing, k + 2 most by `sources[k]`. */
  private readonly drivers: Int32Array;
  private readonly sources: string[] = [];
  /** Course indices scored, in the order first scored (ties among equal scores keep this order). */
  readonly scored: number[] = [];

  constructor(
    private readonly courseIds: readonly string[],
    private readonly indexOf: ReadonlyMap<string, number>,
  ) {
    this.scores = new Float64Array(courseIds.length);
    this.strongest = new Float64Array(courseIds.length);
    this.drivers = new Int32Array(courseIds.length);
  }

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
    if (this.drivers[index] === 0) {
      this.scored.push(index);
      this.scores[index] = score;
      this.strongest[index] = score > 0 ? score : 0;
      this.drivers[index] = score > 0 ? driver : 1;
      return;
    }
    this.scores[index] = this.scores[index]! + score;
    if (driver > 1 && score > this.strongest[index]!) {
      this.drivers[index] = driver;
      this.strongest[index] = score;
    }
  }

  /** Scales the scores into [-1, 1] by the largest magnitude (none above 1e-9: left as they are). */
  normalise(): void {
    let max = 1e-9;
    for (const i of this.scored) if (Math.abs(this.scores[i]!) > max) max = Math.abs(this.scores[i]!);
    for (const i of this.scored) this.scores[i] = this.scores[i]! / max;
  }

  get size(): number {
    return this.scored.length;
  }

  /** The score of course `index` (of this generator's courses); 0 when it was not scored or `index` is undefined. */
  scoreAt(index: number | undefined): number {
    return index === undefined ? 0 : this.scores[index] ?? 0;
  }

  scoreOf(courseId: string): number {
    return this.scoreAt(this.indexOf.get(courseId));
  }

  /** What drove the course's score most; undefined when not scored or nothing named. */
  drivenBy(courseId: string): string | undefined {
    const i = this.indexOf.get(courseId);
    const driver = i === undefined ? 0 : this.drivers[i] ?? 0;
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
    for (let k = 0; k < scores.length; k++) scores[k] = this.scores[this.scored[k]!]!;
    return topK(scores, n).map((k) => this.courseIds[this.scored[k]!]!);
  }
}

import type { Course } from '../catalog/course.js';
import type { EventKind, EventResult, RecordEventsDeps } from '../events/index.js';
import { recordEvent } from '../events/record-events.js';
import type { Follower, Locale } from '../followers/follower.js';
import type { PaymentProvider } from '../orders/order.js';
import type { CourseOutline } from '../learning/course-content.js';
import type { Clock, DialogMemory, DialogMemoryStore, LanguageModel, Recommender, Repositories, UnitOfWork } from '../ports/index.js';
import type { IntentModel } from '../understanding/index.js';
import type { HandoffDesk, HandoffReason } from '../handoff/handoff.js';
import { dialogText } from './dialog-text.js';
import type { MemoryChange } from './dialog-memory.js';
import type { ValidInboundMessage } from './inbound-message.js';
import { ACTIONS } from './intent.js';
import type { Button, Reply } from './reply.js';

/** What the dialog needs; the composition root builds it once per process. */
export interface DialogDeps {
  /** Reads outside a transaction. */
  repos: Repositories;
  uow: UnitOfWork;
  clock: Clock;
  recordEventsDeps: RecordEventsDeps;
  /**
   * How the dialog's derived events are recorded; `recordEvents` with `recordEventsDeps` by
   * default. A channel may pass its group-commit batcher (same contract) to share transactions.
   */
  recordEvents?: (inputs: readonly unknown[]) => Promise<EventResult[]>;
  recommender: Recommender;
  /** Dialog memory per follower (the list last shown, the course in focus, an open question), shared by processes. */
  memory: DialogMemoryStore;
  /**
   * The understanding model for free text. Training it takes a second or more: the composition root
   * loads it at start (`loadIntentModel`); without it the first text message of the process does.
   */
  intentModel?: IntentModel;
  /** The provider that takes payment inside this chat (`telegram_stars` on Telegram); absent when the chat cannot. */
  checkoutProvider?: PaymentProvider;
  /** Where a course can be bought when the chat cannot take payment (mini-program path or web page). */
  courseUrl?: (course: Course) => string | undefined;
  /** The link that opens this channel with a referral code (Telegram: `https://t.me/<bot>?start=ref_<code>`); undefined while unknown. */
  inviteLink?: (code: string) => string | undefined;
  /** Courses per page when browsing; 5 by default. */
  pageSize?: number;
  /**
   * An optional language model for free questions (LLM_BASE_URL …): it answers out-of-scope and
   * course-detail questions from the catalogue and lesson texts; without it, or when it fails, the
   * dialog's own answers stand.
   */
  languageModel?: LanguageModel;
  /** Chapters and lessons of a course, the facts a detail question is answered from. */
  courseOutlines?: { outline(courseId: string): Promise<CourseOutline> };
  /**
   * Hand-off to a person: requests for a person, refunds, complaints and free text not understood
   * `misunderstoodTurnsBeforeHandoff` times in a row (0: never) ask for one; the conversation opens
   * it through `desk`. Without it such requests are only recorded in the audit log.
   */
  handoff?: { desk: HandoffDesk; misunderstoodTurnsBeforeHandoff: number };
}

/** What a turn asks of the conversation: hand the chat to a person, for this reason (about this course). */
export interface HandoffRequest {
  reason: HandoffReason;
  courseId?: string;
}

/** One message being answered: the deps, the message, the follower and their language. */
export interface DialogTurn {
  deps: DialogDeps;
  message: ValidInboundMessage;
  follower: Follower;
  locale: Locale;
  text: ReturnType<typeof dialogText>;
  /** Whether prices are shown and charged in Telegram Stars. */
  isStarsPlatform: boolean;
  /** The follower's dialog memory as of this message (empty when expired). */
  memory: DialogMemory;
  /** What this turn sets in the memory (the list shown is read from the replies). */
  change: MemoryChange;
  /** Set by a reply that hands the chat to a person. */
  handoff?: HandoffRequest;
}

/**
 * Records an event the dialog derives from the message (a topic picked, a course viewed), keyed on
 * the message id so a redelivered message records it once.
 */
export async function recordDerivedEvent(
  turn: DialogTurn,
  suffix: string,
  event: { kind: EventKind; courseId?: string; payload?: Record<string, unknown> },
): Promise<void> {
  const input = {
    kind: event.kind,
    platform: turn.message.platform,
    externalId: `${turn.message.messageId}:${suffix}`.slice(0, 200),
    followerId: turn.follower.id,
    ...(event.courseId ? { courseId: event.courseId } : {}),
    payload: { source: 'dialog', ...(event.payload ?? {}) },
    occurredAt: turn.deps.clock.now(),
  };
  if (turn.deps.recordEvents) await turn.deps.recordEvents([input]);
  else await recordEvent(turn.deps.recordEventsDeps, input);
}

/** The buttons offered when the dialog does not know what to do next. */
export function menuButtons(turn: DialogTurn): Button[][] {
  const b = turn.text.buttons;
  return [
    [{ label: b.recommend, action: ACTIONS.recommend }, { label: b.browse, action: ACTIONS.page(1) }],
    [{ label: b.myCourses, action: ACTIONS.myCourses }, { label: b.help, action: ACTIONS.help }],
  ];
}

export function textReply(text: string, buttons?: Button[][]): Reply {
  return buttons ? { type: 'text', text, buttons } : { type: 'text', text };
}

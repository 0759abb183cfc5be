import type { RequestHandler } from 'express';
import type { Mount } from '../adapters/index.js';
import type { ChatLearning, LessonReminderRepository, Messenger, Platform } from '../core/index.js';
import type { ChannelStatus, Service } from './lifecycle.js';

/**
 * What the wiring steps of a process build up, in order: each `wire*` function in bots/ reads
 * what earlier steps put here (the messengers) and adds its own mounts,
 * services and channel statuses.
 */
export interface Wiring {
  mounts: Mount[];
  services: Service[];
  channels: ChannelStatus[];
  messengers: Map<Platform, Messenger>;
  /** Full retrain of the recommender and the propensity models, for the model-retrain job; set by wireRecommender. */
  retrainRecommender?: (onProgress?: (percent: number, stage: string) => void) => Promise<{ version: number; metrics: Record<string, unknown> }>;
  /** Learning use cases and lesson-link settings for the chat channels; set by wireLearning. */
  learning?: ChatLearning & { reminders: LessonReminderRepository };
  /** Guards every `admin` mount; set by the console step (sessions, API tokens, ADMIN_API_TOKEN). */
  adminAuth?: RequestHandler;
}

export function emptyWiring(): Wiring {
  return { mounts: [], services: [], channels: [], messengers: new Map() };
}

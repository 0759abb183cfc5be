import { types } from 'wechaty';
import { PuppetMock } from 'wechaty-puppet-mock';

type FriendshipPayload = { id: string; contactId: string; hello: string; type: types.Friendship; ticket: string; timestamp: number };
type UrlPayload = { url: string; title: string; description?: string };

/** The official mock puppet, plus the friendship payloads it leaves empty and a record of link cards it drops. */
export class RecordingPuppetMock extends PuppetMock {
  readonly friendships = new Map<string, FriendshipPayload>();
  readonly urlLinks: Array<{ conversationId: string; payload: UrlPayload }> = [];
  readonly accepted: string[] = [];
  override async friendshipRawPayload(id: string): Promise<FriendshipPayload> {
    const payload = this.friendships.get(id);
    if (!payload) throw new Error(`no friendship ${id}`);
    return payload;
  }
  override async friendshipAccept(id: string): Promise<void> {
    this.accepted.push(id);
  }
  override async messageSendUrl(conversationId: string, payload: UrlPayload): Promise<void> {
    this.urlLinks.push({ conversationId, payload });
  }
}

export async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}


import { codeForFollower } from '../referrals/referral-code.js';
import { miniProgramSharePath, referralText } from '../referrals/referral.js';
import { textReply, type DialogTurn } from './dialog-turn.js';
import type { Reply } from './reply.js';

/**
 * "邀请好友" / "Invite friends": the follower's own referral code (the same every time), the link
 * that opens this channel with it, and the mini-program share path.
 *
 * @example
 * await inviteReplies(turn) // [{ type: 'text', text: 'Invite friends to learn with you!\nYour invite code: K7QM2XPA\n…' }]
 */
export async function inviteReplies(turn: DialogTurn): Promise<Reply[]> {
  const code = await codeForFollower(turn.deps.repos, turn.follower.id);
  return [textReply(referralText(turn.locale).invite(code, turn.deps.inviteLink?.(code), miniProgramSharePath(code)))];
}

/**
 * The one-sentence micro-feedback for a message: the most serious problem the message shows,
 * naming its evidence, else what it did well and should keep. A reply with no problem never gets
 * an invented one.
 */
import { charismaIndex } from '../metrics.js';
import type { FeedbackInput } from './feedback.js';
import { W } from './weights.js';

/** At or above this message charisma a reply is good: feedback says what to keep. */
const GOOD = 70;

export function microFeedbackFor(x: FeedbackInput): string {
  return problemOf(x) ?? relevanceOf(x) ?? strengthOf(x);
}

function problemOf(x: FeedbackInput): string | null {
  const { f, ctx, conv, result } = x;
  if (x.safetyFlag === 'BLOCK')
    return 'This crosses a safety line, so it earns nothing; keep it respectful.';
  if (x.empty) return 'Talk to them, not to the scorer: instructions to the app are ignored.';
  if (x.safetyFlag === 'RISKY')
    return 'Too forward too soon; build rapport before anything suggestive.';
  if (f.insults + f.directedNegative > 0)
    return 'That lands as a put-down; curiosity gets you further than a jab.';
  if (f.shouting) return 'All caps reads as shouting; let the words carry the energy.';
  if (f.mirror || conv.echo) return 'You repeated their words back; add something of your own.';
  if (conv.repeats) return 'This repeats itself; say it once and add something new.';
  if (f.laughter > 0 && f.contentWords < 2)
    return 'Laughing alone adds little; build on what made you laugh.';
  if (result.lowEffort)
    return 'A reply this short gives them nothing to work with; add a detail or a question.';
  if (f.selfDep > 0) return "Don't sell yourself short; share something you enjoy instead.";
  if (f.apologies >= 2) return 'One apology is plenty; over-apologising undercuts you.';
  if (ctx.distress && f.empathy === 0 && f.negative + f.dismissive > 0) {
    return 'They shared something hard; acknowledge it before moving on.';
  }
  if (f.needyEvidence !== null)
    return `"${f.needyEvidence}" reads as needy; a relaxed reply lands better.`;
  if (f.pressureEvidence !== null)
    return `"${f.pressureEvidence}" puts pressure on them; invite, don't insist.`;
  if (f.questionRun || f.exclaimRun)
    return 'Stacked ?? or !!! read as pressure; one mark is enough.';
  if ((result.fillerRate ?? 0) > W.voice.fillerRatePoor || f.fillers >= 3) {
    return 'Cut the fillers (um, like, you know) so your point lands.';
  }
  if (f.wordCount > W.length.longMax || f.longestSentence > W.runOnWords) {
    return 'Trim it to one clear point; long walls of text lose people.';
  }
  if (f.hedges >= 2 || f.deferring > 0)
    return 'Drop the hedges and say what you want; it reads as more sure.';
  if (f.dismissive > 0) return 'Lead with interest, not a brush-off; ask about what they shared.';
  if (result.pace === 1)
    return 'Slow down a little; around 120-170 words a minute is easiest to follow.';
  if (result.pace === -1) return 'Pick up the pace a little; long pauses can read as hesitation.';
  return null;
}

/** How the reply fits the conversation: answered, built on, or went elsewhere. */
function relevanceOf(x: FeedbackInput): string | null {
  const { f, ctx, conv } = x;
  if (conv.asked && !conv.answered && !f.invitesStory) {
    return 'They asked you something; answer it before moving on.';
  }
  if (conv.changedSubject) {
    return 'This changes the subject; pick up something they said first.';
  }
  if (f.proposals + f.commitments > 0 && f.concrete > 0)
    return 'A concrete plan with a time and place is easy to say yes to.';
  if (f.empathy > 0 && ctx.distress) return 'Nice empathy: you acknowledged how they feel first.';
  if (conv.answered && conv.disclosure && conv.invitation)
    return 'You answered, added something of your own and handed the turn back: keep that.';
  if (conv.answered && conv.disclosure)
    return 'You answered their question and added your own story — good.';
  if (conv.invitation && (conv.sharedTopics > 0 || f.topicOverlap > 0))
    return 'Good follow-up: you picked up on what they said.';
  return null;
}

function strengthOf(x: FeedbackInput): string {
  const { f, result } = x;
  const t = result.traits;
  if (f.callback || t.humor >= 70) return 'Playful and light; the tease keeps the energy up.';
  if (f.reciprocal > 0) return 'Good balance: you shared something and handed the question back.';
  if (f.specifics >= 2) return 'Specific details make this vivid and easy to answer.';
  if (charismaIndex(t) >= GOOD) return 'Clear and friendly; keep replies like this.';
  return 'Clear enough; a specific detail or a question about them would lift it.';
}

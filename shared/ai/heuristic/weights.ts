/**
 * The heuristic provider's weights: each trait starts at `base` and moves by these deltas, then is
 * clamped to 0-100. Word lists live in ./lexicon.ts; bump HEURISTIC_VERSION there when a number
 * here changes scores.
 */
/**
 * Each trait starts at `base` and moves by these deltas; results are clamped to 0-100.
 * "…Cap" is the most occurrences of a signal that count (the third hedge hurts, the tenth does not
 * hurt more). Bases put an ordinary, inoffensive one-liner around 60-70 (rarity B); S+ takes a
 * reply that is confident, specific, warm, playful and calm at once. `hostile` applies when a
 * reply insults or aims negativity at the reader (per insult, at most two): aggression is not
 * confidence, a put-down is not a clear point, and it is the opposite of calm, so it costs every
 * trait and a hostile conversation lands at a charisma index under 20 (SCORING.md). `sour` applies
 * when a reply is net negative without empathy.
 */
// prettier-ignore
export const W = {
  base: { confidence: 62, clarity: 64, humor: 48, tensionControl: 75, emotionalWarmth: 50, dominance: 45 },
  /** Word-count bands: ≤2 words is low effort, 8-40 the sweet spot, >60 a wall, >100 a huge wall. */
  length: { lowEffortMax: 2, shortMax: 4, sweetMin: 8, sweetMax: 40, longMax: 60, wallMax: 100 },
  lengthDelta: { short: -18, mid: 2, sweet: 14, long: -4, wall: -22, hugeWall: -32 },
  /** A sentence with more words than this and no full stop reads as a run-on. */
  runOnWords: 32,
  /** Voice: fillers per 100 words (<2 good, >6 poor) and the comfortable pace in words/minute. */
  voice: { fillerRateGood: 2, fillerRatePoor: 6, paceMin: 120, paceMax: 170, paceFarOff: 40 },
  /** Self-deprecation (-28) is the strongest single confidence signal; a proposal (+14) the best. */
  confidence: {
    hedge: -9, hedgeCap: 5, apology: -8, apologyCap: 3, overApology: -14, permission: -10,
    selfDep: -28, filler: -4, fillerCap: 8, proposal: 14, concrete: 5, concreteCap: 3,
    commitment: 6, commitmentCap: 2, decisive: 5, decisiveCap: 2, directStatement: 8,
    deferring: -10, deferringCap: 2, needy: -6, punctRun: -6, shouting: -6, hostile: -24, flat: -6,
    voiceFluent: 4, voiceDisfluent: -12, paceGood: 4, paceOff: -4, paceFarOff: -8,
    /**
     * Low-effort caps (every trait has one) are set so a session of nothing but "ok"/"whatever"
     * has a charisma index of about 20 (SCORING.md: empty effort ≤ 20).
     */
    lowEffortCap: 22,
  },
  /** ALL CAPS (-22) costs about as much as a wall of text; three specifics (+18) can lift a plain reply. */
  clarity: {
    specific: 6, specificCap: 3, filler: -5, fillerCap: 8, hedge: -3, hedgeCap: 5, shouting: -26,
    punctRun: -8, questionBarrage: -6, runOn: -12, focused: 5, profanity: -4, hostile: -22,
    voiceFluent: 6, voiceDisfluent: -15, paceGood: 5, paceOff: -5, paceFarOff: -10,
    lowEffortCap: 15,
  },
  /** Base 48: a plain reply is not funny; a callback tease (+16) or emoji with content (+14) is. */
  humor: {
    laughWithContent: 10, emojiWithContent: 14, playful: 12, playfulCap: 3, callback: 16, enthusiasm: 4, meanJoke: -20, hostile: -20, sour: -10, flat: -6,
    negative: -5, negativeCap: 3, profanity: -4,
    /** "lol" with nothing else is forced laughter: humor is capped here. */
    laughterOnly: 15,
    lowEffortCap: 15,
  },
  /** Base 75: a calm reply is the default; pressure, needs and !!!/??? take it down fast. */
  tension: {
    needy: -14, needyCap: 3, punctRun: -14, questionBarrage: -10, shouting: -16, apology: -4,
    overApology: -14, pressure: -14, pressureCap: 2, selfDep: -8, hostile: -28, dismissive: -8,
    hedge: -2, hedgeCap: 5, calm: 8, teaseHandled: 10, relaxed: 8, easyConfidence: 6, risky: -15,
    lowEffortCap: 35,
  },
  /** Two put-downs (-32 each) take warmth to 0 from anywhere; crude pressure (-30) nearly does. */
  warmth: {
    positive: 7, positiveCap: 3, compliment: 6, complimentCap: 2, empathy: 11, empathyCap: 2,
    you: 4, youCap: 3,
    questionAboutThem: 9, followUp: 8, acknowledge: 4, reciprocal: 8, distressEmpathy: 10,
    distressIgnored: -12, goodNewsCelebrated: 8, insult: -32, insultCap: 2, dismissive: -20,
    negative: -6, negativeCap: 2, directedNegative: -14, directedCap: 2, sour: -8, risky: -36,
    profanity: -7, profanityCap: 2, shouting: -12, mirror: -10, warmExclaim: 3,
    goodNewsSpoiled: -10,
    /** No engagement signal at all (question, "you", appreciation, detail, humor, plan). */
    flat: -10,
    lowEffortCap: 20,
  },
  /** Not in the charisma index: leading (a proposal, +20) versus deferring (-15). */
  dominance: {
    proposal: 20, concrete: 6, concreteCap: 3, commitment: 7, imperative: 6, openQuestion: 4,
    deferring: -15, hedge: -4, hedgeCap: 4, permission: -10, apology: -6, lowEffort: -18,
    selfDep: -10,
  },
  /**
   * Engagement with the conversation (./engagement.ts), in points before sharing out. Similarity
   * is the cosine of meaning vectors, neutral at 0.5: a reply at 0.7 earns +8, one at 0.3 loses 8.
   */
  engagement: {
    /**
     * Per 1.0 of cosine similarity away from the neutral 0.5 (a reply at 0.7 earns +6). Measured
     * on the development files, shared lemmas added nothing beyond it (bots copy the partner's
     * nouns), so they feed feedback, not the score; topics the reply adds do count.
     */
    similarity: 30, newTopic: 3, newTopicCap: 4,
    /** A question left unanswered costs; answering is expected, so it earns little. */
    answered: 2, questionIgnored: -6,
    /** Parroting the partner or repeating oneself reads as a glitch, not a turn. */
    echo: -12, repeats: -16, repeatedWord: -5, repeatedWordCap: 2,
    /** Saying something of one's own, and handing the turn back with it. */
    disclosure: 3, reciprocity: 4, followUp: 4,
    /**
     * Per word up to the cap: saying something (25 words is a full chat turn; past it, walls of
     * text are clarity's business). Specific words over common ones add up to ±specificity/2.
     */
    perWord: 1, wordCap: 25, specificity: 20,
    /** Centres the scale: an ordinary on-topic ten-word reply nets about zero. */
    typical: -14,
  },
  /** Share of the engagement credit each filler or hedge removes (five remove all of it). */
  engagementPerDisfluency: 0.2,
  /** How engagement points are shared out over traits (the charisma index weighs them again). */
  engagementShare: { clarity: 1.5, emotionalWarmth: 1.2, confidence: 0.75 },
  /**
   * Non-English messages (./universal.ts): only length, questions, punctuation, capitals and emoji
   * move the traits, by about the amounts the English path gives the same signals.
   */
  universal: {
    short: -10, sweet: 10, long: -6, question: 8, emoji: 8, punctRun: -12, shouting: -16,
    lowEffortCap: 25,
  },
  /** A message that is empty once scorer-directed text is removed. */
  empty: { confidence: 20, clarity: 8, humor: 8, tensionControl: 30, emotionalWarmth: 15, dominance: 8 },
  /** BLOCK content (its score is 0 anyway; this keeps the session means honest). */
  blocked: { confidence: 10, clarity: 10, humor: 0, tensionControl: 0, emotionalWarmth: 0, dominance: 10 },
} as const;

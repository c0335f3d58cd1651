/**
 * The heuristic provider's data: every word list and weight, in one versioned module. Bump
 * HEURISTIC_VERSION whenever a list or number changes scores (it is stored with each session).
 *
 * Lists are `|`-separated lower-case phrases, matched on word boundaries; an apostrophe also
 * matches its absence ("don't" matches "dont"). Entries are plain text, not regexes.
 */
export const HEURISTIC_VERSION = 'heuristic-1';

function list(source: string): readonly string[] {
  return source
    .split(/[|\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export const LEX = {
  /** Always fillers. "like", "you know" and "i mean" are context-checked in fillers.ts. */
  fillers: list(
    `um | umm | ummm | uh | uhh | uhm | erm | er | ehm | hmm | basically | literally | y'know`,
  ),
  /** A word before "like" that makes it a verb ("I like jazz", "would like", "don't like"). */
  likeVerbBefore:
    list(`i | you | we | they | he | she | u | would | i'd | you'd | we'd | they'd | do
    | does | did | don't | doesn't | didn't | to | really | also | might | will | gonna | actually
    | totally | always | still | who | should | could | can | must | may | genuinely | kinda | never
    | only | both | mostly | secretly | definitely | all | people | dogs | cats | kids | guys`),
  /** A word before "like" that makes it a preposition ("looks like", "things like"). */
  likePrepBefore:
    list(`look | looks | looked | looking | sound | sounds | sounded | feel | feels | felt | feeling
    | seem | seems | seemed | just | something | anything | nothing | things | stuff | more
    | much | exactly | act | acts | acting | smell | smells | taste | tastes | person | places
    | one | ones | nobody | anyone | someone | everyone | what's | what | not | lot | is
    | dressed`),
  hedges:
    list(`maybe | perhaps | possibly | probably | i guess | i think | kind of | kinda | sort of
    | sorta | just | not sure | i don't know | idk | dunno | i suppose | somewhat | i feel like
    | might | or something | we'll see | it depends | or not | if that makes sense | hopefully
    | or whatever | i don't really | not really`),
  /** "sorry" that expresses empathy, not an apology. */
  empathySorry:
    list(`sorry to hear | sorry that happened | sorry you | sorry about your | sorry for your
    | so sorry to | i'm sorry to | oh no, i'm sorry | oh no i'm sorry | i'm sorry, i hope`),
  apologies: list(`sorry | i apologize | i apologise | apologies | my bad | forgive me | my fault
    | i didn't mean to`),
  permission: list(`if you want | if that's ok | if that's okay | if you don't mind | is it ok if
    | is it okay if | would it be ok | would it be okay | can i ask | it's fine if not
    | no pressure if not | if it's not too much | i hope that's ok | if you're comfortable
    | sorry if | if you really want`),
  selfDeprecation: list(`i'm boring | i'm pretty boring | i'm so boring | i'm kind of boring
    | i'm kinda boring | i'm really boring | i'm not interesting | i'm not that interesting
    | i'm not very interesting | i'm ugly | i'm a loser | i'm stupid | i'm so stupid
    | i'm an idiot | i'm the worst | i suck | i'm really not | i'm not good at | nobody likes me
    | i look bad | i'm awkward | i'm so awkward | i'm weird | i'm nothing special
    | i'm not special | i never do anything | i'm a mess | i'm not very | i'm not really
    | i'm awful | i'm terrible | i'm bad at | i'm hopeless | i always say something
    | i always mess | i haven't done anything`),
  /** Whole replies that shut the exchange down (after laughter, emoji and punctuation are removed). */
  dismissiveWhole:
    list(`ok | okay | k | kk | cool | fine | sure | whatever | nah | no | nope | meh | idc
    | so | and | yeah | yep | ya | yea | hm | nice | ok cool | k cool | cool cool | sure whatever
    | if you say so | fair | true | same | wow | right | i know | good | fine i guess | sup | yo
    | hey | hi | hello | ok thanks | thanks | lol ok | interesting | i don't know | idk | dunno`),
  dismissive: list(`whatever | who cares | your loss | never heard of it | never heard of them
    | not interested | i don't care | idc | so what | not my problem | doesn't matter
    | get over it | anyway | anyways | why do you care | why do you want to know
    | none of your business | if you say so | good for you | sounds boring | big deal
    | nobody asked | problem solved | not a big deal | could be worse | why are you telling me
    | why do you need to know | why are you asking | why do you ask | why would i
    | what's it to you | none of your`),
  deferring: list(`whatever works | whatever you want | up to you | i don't mind | i'm easy
    | either is fine | you decide | whatever is fine | anything is fine | i'm fine with whatever
    | if you want | we'll see | let me see | i'll see | sometime | someday | or not | it depends
    | if you really want`),
  negative: list(`sucks | suck | boring | bored | gross | ew | eww | ewww | hate | awful
    | terrible | horrible | worst | stupid | dumb | lame | pointless | overrated | annoying
    | ugly | weird | sad | regret | fail | die | trash | garbage | cringe | disgusting | meh
    | ugh | lazy | pathetic | loser | useless | waste | underpaid | bad | worse | shut up
    | nothing special | nothing really | crazy | catfishing | creepy | fat | why would anyone
    | awkward | disrespectful | rude | nobody | unhealthy | trashy | overpriced | expensive
    | crowded | tired of | sick of | can't stand | not a fan | annoyed | ruined | pointless
    | evil | irresponsible | broke | depressing | toxic | childish | immature | selfish
    | for old people | thinks they're | waste of | never work | don't mess | mess it up | sucked
    | hated`),
  /** Idioms whose sentiment words mean nothing ("worst case", "crazy good"); masked before scoring. */
  neutralIdioms:
    list(`worst case | worst-case | in the worst | crazy good | insanely good | stupid good
    | sick of waiting | too bad | not bad | no worries | bad ass | badass | killing it | wicked good
    | dying to | to die for | dead tired | no big deal`),
  /** Negators that turn a sentiment word around when one or two words before it ("not bad"). */
  negators: list(`not | never | no | don't | isn't | wasn't | ain't | hardly | without | nothing`),
  /** Explicit hostility, counted on top of negative words aimed at "you". */
  insults: list(`not that special | shut up | get over it | your loss | why do you care
    | you'll probably fail | you'll fail | you'll regret | nobody cares | nobody asked
    | who asked | idiot | loser | pathetic | moron | you're boring | you're ugly | you're weird
    | you're annoying | you're stupid | you're dumb | are you dumb | are you stupid | catfishing
    | sucks for you | good luck with that | like everyone does | what a waste | your problem
    | you'll probably die | you'll die | why would you do that | why would you even
    | what's the point | who even | get a life | grow up | no offense | no offence
    | why are you always | what's wrong with you | what is wrong with you | how do you even
    | who does that | is for kids | are for kids | so disrespectful | who cares | so what
    | told you so | your own fault | your fault | sounds boring | not talking to | you'll need it
    | why bother | at your age | took them long enough | about time | duh | isn't that far
    | isn't that hard | not that impressive | anyone can do | are you sure you can`),
  /** Blame, counted as hostility only when the persona shared something hard. */
  blame: list(`you should have | you should've | should've | shouldn't have | what did you expect
    | that's on you | serves you right | your own fault | i told you`),
  positive:
    list(`nice | great | amazing | awesome | love | loved | lovely | congrats | congratulations
    | impressive | respect | enjoyed | enjoy | fun | interesting | beautiful | glad | thanks
    | thank you | wonderful | fantastic | excited | exciting | brilliant | best | favorite
    | favourite | delicious | incredible | proud | happy | sweet | admire | cute | unreal
    | worth | cool | good | huge | perfect | legendary | gorgeous | fascinating | curious
    | jealous | appreciate | earned | deserve | well done | made my day | rarer than | talented
    | brave | so kind | very kind | kind of you | fan of | hungry | intrigued | sounds great
    | sounds fun | wow | inspiring | fair`),
  empathy: list(`sorry to hear | sorry that happened | sorry you | that sounds tough
    | sounds hard | sounds rough | sounds exhausting | sounds stressful | sounds awful
    | that must be | must have been | i hope she | i hope he | i hope you | i hope they
    | i hope it | how are you holding up | how are you feeling | you've got this | you got this
    | you've prepared | proud of you | i'm here | here for you | want to talk | understandable
    | makes sense | totally fine | that's normal | take care | oh no | i understand | i get it
    | get some sleep | get some rest | want to hear | you deserve | you earned | weighing on you
    | no wonder | completely normal | that's okay | that's ok | happy for you | thinking of you
    | that's rough | that's tough | that's a lot | tough schedule | go easy on yourself
    | you'll do great | you'll be great | you'll crush it | feel comfortable | no worries
    | i'm sorry, i hope | keeps you going | you're not alone | me neither | same here
    | sounds draining | sounds frustrating | sounds overwhelming | sounds intense | sounds scary
    | sounds brutal | sounds terrible | sounds lonely | sounds painful | sounds difficult
    | that sucks, i'm sorry | sorry, that sucks | no rush | these things happen`),
  /** Topics in the AI line that call for empathy. */
  distressCues: list(`rough | tough | bad day | nervous | stressed | stress | sad | sick
    | anxious | worried | scared | hospital | broke up | lost my | fired | exam | tired
    | exhausted | lonely | shy | hard time | struggling | crying | upset | funeral | died
    | passed away | late reply | went quiet | busy week | not a morning person | not sure we
    | sorry | cancelled | canceled | stuck | delayed | missed | failed | rejected | injured
    | hurt | awful | terrible | worst | crazy week | overwhelmed | can't sleep | broke down
    | dumped | fight with`),
  /** News in the AI line that calls for celebration. */
  goodNewsCues: list(`got the job | adopted | moving to | going to | promoted | promotion
    | passed | engaged | finished | first | just got | won | new job | graduated | bought | baked
    | learning to | training for`),
  /** Persona lines that tease or challenge; a relaxed, playful answer shows tension control. */
  teaseCues: list(`haha | lol | funny | stop | blush | confident | you're late | cute | in common
    | weird | are you always | smooth | cheesy | trouble | why did you | prove it | bet you`),
  proposals: list(`let's | let us | how about | what about we | we should | shall we
    | want to grab | want to get | want to go | want to come | want to join | want to meet
    | want to try | wanna grab | wanna get | wanna go | like to get | like to grab | like to go
    | like to join | like to meet | like to come | like to have | like to try | like to see
    | are you free | join me | come with me | my treat | on me | why don't we | we can | we could
    | i'd love to take you | meet me | call me | text me | i'll book | i'll grab | i'll pick
    | i'll bring | i'll buy | i'll take you | i'll cook | i'll send | i'll show | we have to
    | we need to | you should come | over a | drinks on | let me take you | do something`),
  /** Plan details: days, times, places. Digits and clock times are matched separately. */
  concrete: list(`monday | tuesday | wednesday | thursday | friday | saturday | sunday | tonight
    | tomorrow | this weekend | next week | after work | noon | lunch | dinner | brunch
    | breakfast | bar | cafe | café | coffee | restaurant | place on | park | museum | market
    | spot | table | slice | drink | drinks | walk | ramen | tacos | pizza | an hour | this week
    | weekend | morning | evening | o'clock | trattoria | concert | show`),
  commitments: list(`i'll | i will | i'm going to | i'm gonna | i can | count me in | i'm in
    | i'm down | i'd love to | i'd like that | i would love`),
  /** Sure-footed openers and owned opinions or facts about oneself. */
  decisive: list(`yes | definitely | absolutely | of course | for sure | totally | honestly
    | my favorite | my favourite | i love | i'm a big fan | i prefer | team | i will defend
    | controversial opinion | hot take | unpopular opinion | great pick | good pick | most days
    | guilty | same here | me neither | i am | i do | respect | i'm a | i once | i finally
    | i've been | i've really | i really | mission accomplished | kind of? | i want the
    | i want to | i need a | i need the | i need your`),
  /** Handing the turn back. */
  reciprocal: list(`you? | what about you | how about you | and you | yours? | what's yours
    | how was yours | how about yours | your turn | what about yours | where was yours
    | what do you do | you do?`),
  openQuestionStarts:
    list(`what | how | why | which | where | who | when | tell me | is it | are you
    | was it | have you | do you | did you | any | is that | whats | what's | how's`),
  laughter: list(
    `haha | hahaha | hahah | hah | hehe | lol | lmao | lmfao | rofl | lolol | xd | jk`,
  ),
  /** Playful vocabulary: teasing, mock-drama, nicknames, games. */
  playful: list(`bold move | plot twist | confession | controversial | i dare you | dare
    | judge me | in writing | go to my head | mission accomplished | my kind of person
    | suspicious | dramatic | ridiculous | chaos | revenge | legendary | secretly | puns | pun
    | guilty | classic | now i'm hungry | fight me | hot take | unpopular opinion | red flag
    | deal breaker | dealbreaker | asking for a friend | i'll allow it | nice try | chef | champ
    | genius | rockstar | detective | captain | boss | team | wild | no way | i need a photo
    | private concert | abstract | terrified | brutal | defend | debate | trouble | scandalous
    | villain | sidekick | superpower | heist | conspiracy | warning | spoiler | officially
    | on repeat | running on | sandwich | llama | cheered | arguing about | commits to | jealous
    | make up for | mystery | to be fair | in my defense | bribe | negotiate | rematch
    | for science | rookie | pro tip | admit | oops | bet | incoming | dangerous | threat
    | expert | crime | judging | witness | verdict | sworn | confess | evidence`),
  /** Exaggeration and vivid detail. */
  exaggeration: list(`way too | times | the whole | immediately | giant | million | every single
    | unreal | insane | forever | the entire | all night | tiny | epic | the best | worth the
    | retired | forty | even more | obsessed | rarer than | entire | ever`),
  needy: list(`finally | waiting | why didn't you | why haven't you | why don't you | answer me
    | reply to me | please | pls | plz | i miss you | are you mad | are you ignoring
    | ignoring me | did i do something | don't leave | i need you | give me a chance | you never
    | still there | why won't you | all week | all day | be mad | are we still | still meeting
    | checking my phone | i noticed | you didn't reply | left me on read | left on read
    | ghosting | ghosted | what did i do | did i say something`),
  pressure: list(`you have to | you owe me sex | come on | right now | why not | just say yes
    | seriously? | again? | this is the third time | how many times | i cleared my
    | stop ignoring | you better | don't be boring | answer the question | instead`),
  calm: list(`no worries | no rush | all good | take your time | no pressure | whenever
    | totally fine | understandable | no problem | that's okay | that's ok | that's fine
    | low key | fair enough | either way | most days | happens to the best of us`),
  /** Profanity: lowers clarity and warmth; aimed at the reader it is rude. */
  profanity: list(`fuck | fucking | fucked | shit | shitty | damn | crap | bitch | asshole | wtf
    | stfu | bastard | piss | pissed | bullshit | tbh`),
  /** Borderline sexual or crude content: RISKY, lowers warmth and tension control. */
  risky: list(`send pics | send me pics | send a pic | send me a pic | send nudes | send me nudes
    | nudes | nude | what are you wearing | dtf | horny | sexy | hook up | hookup
    | come over tonight | your body | boobs | tits | dick | sex | naked | slut | whore | fuck you
    | in bed | bend over | booty | thicc | netflix and chill | spicy pics | lingerie`),
  /** BLOCK: threats, sexual coercion, self-harm, slurs. Kept deliberately explicit. */
  blockThreats: list(`kill you | i'll hurt you | i will hurt you | gonna hurt you | i'll beat you
    | i know where you live | you're dead | watch your back | i'll find you | i will find you
    | i'll make you pay | i'll stab | i'll shoot | shoot you | stab you | rape | raping
    | i'll ruin your life | beat you up`),
  blockCoercion: list(`you owe me sex | nudes or | or i'll post | or i'll share | or i'll leak
    | or i'll send | i'll leak your | i'll share your pics | i'll post your pics
    | you have to sleep with me | you have to have sex | whether you want to or not
    | you can't say no | i'll send them to | unless you send`),
  blockSelfHarm:
    list(`kill myself | killing myself | end my life | want to die | wanna die | suicide
    | suicidal | cut myself | cutting myself | hurt myself | self harm | self-harm
    | no reason to live | better off dead | end it all | don't want to be alive | overdose`),
  blockSlurs: list(`nigger | nigga | faggot | fag | retard | retarded | tranny | chink | spic
    | kike | wetback | gook | raghead | towelhead | coon | dyke | shemale`),
  /** Words too common to show that a reply picked up the persona's topic. */
  stopwords:
    list(`the | and | for | you | your | are | was | were | with | that | this | what | have
    | has | had | but | not | they | them | their | there | then | than | from | just | really
    | about | would | could | should | will | can | how | why | who | when | where | which | any
    | some | all | our | out | get | got | too | very | also | been | being | into | over | more
    | most | much | like | i'm | you're | it's | that's | what's | don't | did | does | doing
    | done | going | gonna | kind | sort | one | yeah | haha | lol | hey | tell | something
    | thing | things | think | know | want | make | made | its | ever | even | still | here | now
    | way | well | sure | okay | yes | his | her | she | him | mine | yours | myself | sometime
    | honestly | love | i've | i'll | you've | we're | let's | hi | hello | totally | today`),
};

/** Sentences that address the scorer rather than the person are removed before scoring. */
export const INJECTION_PATTERNS: readonly RegExp[] = [
  /\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules|prompts?|guidelines|system|programming|the above|everything above)/,
  /\b(max(imum)?|perfect|highest|top|full|best possible) (score|marks|rating|points|grade)\b/,
  /\b(rate|score|grade|mark)\b.{0,40}\b(100|hundred|perfect|maximum|max|10\/10|full marks)\b(?!\s*%)/,
  /\bgive\b.{0,30}\b(perfect score|full marks|100 points|100\/100|top score|max(imum)? score)/,
  /\b(system prompt|developer mode|jailbreak|you are now|as an ai language model|new instructions)\b/,
  /<\/?(system|instructions?|prompt)>/,
];

/**
 * Weights. Each trait starts at `base` and moves by these deltas; results are clamped to 0-100.
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
    specific: 6, specificCap: 3, filler: -5, fillerCap: 8, hedge: -3, hedgeCap: 5, shouting: -22,
    punctRun: -8, questionBarrage: -6, runOn: -12, focused: 5, profanity: -4, hostile: -22,
    voiceFluent: 6, voiceDisfluent: -15, paceGood: 5, paceOff: -5, paceFarOff: -10,
    lowEffortCap: 15,
  },
  /** Base 48: a plain reply is not funny; a callback tease (+16) or emoji with content (+14) is. */
  humor: {
    laughWithContent: 10, emojiWithContent: 14, playful: 12, playfulCap: 3, exaggeration: 7,
    exaggerationCap: 2, callback: 16, enthusiasm: 4, meanJoke: -20, hostile: -20, sour: -10, flat: -6,
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
    negative: -12, negativeCap: 3, directedNegative: -14, directedCap: 2, sour: -8, risky: -30,
    profanity: -7, profanityCap: 2, shouting: -12, mirror: -10, warmExclaim: 3, selfFocused: -6,
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
  /** A message that is empty once scorer-directed text is removed. */
  empty: { confidence: 20, clarity: 8, humor: 8, tensionControl: 30, emotionalWarmth: 15, dominance: 8 },
  /** BLOCK content (its score is 0 anyway; this keeps the session means honest). */
  blocked: { confidence: 10, clarity: 10, humor: 0, tensionControl: 0, emotionalWarmth: 0, dominance: 10 },
} as const;

/**
 * The heuristic provider's domain word lists, in one versioned module (weights: ./weights.ts).
 * Bump HEURISTIC_VERSION whenever a list or number changes scores (it is stored with each session).
 *
 * Only what no standard library covers lives here: hedges, fillers, pressure and neediness,
 * proposals, safety. Sentiment is VADER (./sentiment.ts), lemmas and negation wink-nlp
 * (./nlp.ts). Every entry is a general expression of its kind, written for this module; none is
 * taken from an evaluation file.
 *
 * Lists are `|`-separated lower-case phrases, matched on word boundaries; an apostrophe also
 * matches its absence ("don't" matches "dont"). Entries are plain text, not regexes.
 */
export const HEURISTIC_VERSION = 'heuristic-3';

function list(source: string): readonly string[] {
  return source
    .split(/[|\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export const LEX = {
  /**
   * English function words that are not also words of Spanish, Portuguese, French, Italian or
   * German ("a", "me", "no", "do", "en" are): a message with none of them is not English chat.
   */
  englishMarkers: list(`the | and | you | your | is | are | was | were | what | with | this | that
    | have | has | it | to | of | my | does | we | they | how | for | just | about | not | i'm
    | it's | don't | can't | be | been | would | will | there | their | from | when | why`),
  /** Always fillers. "like", "you know" and "i mean" are context-checked in fillers.ts. */
  fillers: list(`um | umm | ummm | uh | uhh | uhm | erm | er | ehm | hmm | basically | literally
    | y'know`),
  /** A word before "like" that makes it a verb ("I like jazz", "would like", "don't like"). */
  likeVerbBefore: list(`i | you | we | they | he | she | u | would | i'd | you'd | we'd | they'd
    | do | does | did | don't | doesn't | didn't | to | really | also | might | will | gonna
    | actually | totally | always | still | who | should | could | can | must | may | never
    | only | both | mostly | definitely | all | people`),
  /** A word before "like" that makes it a preposition ("looks like", "things like"). */
  likePrepBefore: list(`look | looks | looked | looking | sound | sounds | sounded | feel | feels
    | felt | feeling | seem | seems | seemed | just | something | anything | nothing | things
    | stuff | more | much | exactly | act | acts | acting | smell | smells | taste | tastes
    | one | ones | nobody | anyone | someone | everyone | what's | what | not | lot | is`),
  /** The hedges SCORING.md names, and their close variants. */
  hedges: list(`maybe | perhaps | possibly | probably | i guess | i think | kind of | kinda
    | sort of | sorta | just | not sure | i don't know | idk | dunno | i suppose | somewhat
    | i feel like | might | or something | we'll see | it depends | hopefully | or whatever`),
  /** "sorry" that expresses sympathy, not an apology. */
  empathySorry: list(`sorry to hear | sorry that happened | sorry you | sorry about your
    | sorry for your loss | so sorry to | i'm sorry to`),
  apologies: list(`sorry | i apologize | i apologise | apologies | my bad | forgive me
    | my fault`),
  /** Asking leave to speak or to want something. */
  permission: list(`if you want | if that's ok | if that's okay | if you don't mind
    | is it ok if | is it okay if | would it be ok | would it be okay | no pressure if not
    | i hope that's ok | if you're comfortable | sorry if`),
  /** Putting oneself down. */
  selfDeprecation: list(`i'm boring | i'm so boring | i'm not interesting | i'm ugly
    | i'm a loser | i'm stupid | i'm an idiot | i'm the worst | i suck | nobody likes me
    | i'm awkward | i'm so awkward | i'm nothing special | i'm a mess | i'm hopeless
    | i'm bad at everything | i'm not good enough | i always mess up | i'm pathetic`),
  /** Whole replies that shut the exchange down (after laughter, emoji and punctuation are removed). */
  dismissiveWhole: list(`ok | okay | k | kk | cool | fine | sure | whatever | nah | no | nope
    | meh | idc | yeah | yep | ya | yea | hm | nice | ok cool | if you say so | true | same
    | wow | right | i know | good | sup | yo | hey | hi | hello | thanks | interesting
    | i don't know | idk | dunno`),
  /** Brushing the other person's topic off. */
  dismissive: list(`whatever | who cares | not interested | i don't care | idc | so what
    | not my problem | doesn't matter | get over it | none of your business | if you say so
    | good for you | big deal | nobody asked | why do you ask | what's it to you`),
  /** Handing every decision to the other person. */
  deferring: list(`whatever you want | up to you | i don't mind | i'm easy
    | either is fine | you decide | anything is fine | i'm fine with whatever | we'll see
    | sometime | someday | or not | it depends`),
  /** Explicit put-downs, counted on top of negative sentiment aimed at "you". */
  insults:
    list(`who cares | so what | none of your business | shut up | idiot | loser | pathetic | moron | you're boring | you're ugly
    | you're annoying | you're stupid | you're dumb | nobody cares | get a life | grow up
    | what's wrong with you | what is wrong with you | who asked | you'll fail | your problem
    | your own fault | no offense | no offence | told you so`),
  /** Blame, counted as hostility only when the persona shared something hard. */
  blame: list(`you should have | you should've | shouldn't have | what did you expect
    | that's on you | serves you right | your own fault | i told you`),
  /** Sympathy and support. */
  empathy: list(`sorry to hear | sorry that happened | sorry you | that sounds hard
    | that sounds tough | sounds rough | sounds stressful | sounds exhausting | sounds awful
    | sounds frustrating | sounds overwhelming | sounds painful | sounds difficult | that must be
    | must have been | i hope you | how are you holding up | how are you feeling | you've got this
    | you got this | proud of you | i'm here | here for you | understandable | makes sense
    | that's normal | take care | oh no | i understand | i get it | you deserve | no wonder
    | that's rough | that's tough | that's a lot | go easy on yourself | you'll do great
    | you're not alone | me too | same here | no rush | that happens`),
  /** Topics in the AI line that call for empathy. */
  distressCues: list(`rough | tough | bad day | nervous | stressed | stress | sad | sick
    | anxious | worried | scared | hospital | broke up | fired | tired | exhausted | lonely
    | hard time | struggling | crying | upset | funeral | died | passed away | cancelled
    | canceled | failed | rejected | injured | hurt | overwhelmed | can't sleep | lost`),
  /** News in the AI line that calls for celebration. */
  goodNewsCues: list(`got the job | new job | promoted | promotion | passed | engaged | graduated
    | won | finished | just got | bought | adopted | moving to`),
  /** Persona lines that tease or challenge; a relaxed, playful answer shows tension control. */
  teaseCues: list(`haha | lol | funny | cute | smooth | cheesy | trouble | prove it | bet you
    | are you always | are you sure | really?`),
  /** Suggesting a next step together. */
  proposals: list(`let's | let us | how about we | we should | shall we | want to grab
    | want to get | want to go | want to come | want to join | want to meet | wanna grab
    | wanna get | wanna go | would you like | are you free | join me | come with me | my treat
    | why don't we | we could | meet me | call me | text me | | i'll pick you up
    | i'll bring | i'll buy | i'll take you | i'll cook | you should come`),
  /** Plan details: days, times, places. Digits and clock times are matched separately. */
  concrete: list(`monday | tuesday | wednesday | thursday | friday | saturday | sunday | tonight
    | tomorrow | this weekend | next week | after work | noon | lunch | dinner | brunch
    | breakfast | coffee | drinks | restaurant | park | museum | this week | weekend | morning
    | evening | o'clock`),
  commitments: list(`i'll | i will | i'm going to | i'm gonna | i can | count me in | i'm in
    | i'm down | i'd love to | i would love`),
  /** Sure-footed statements and owned opinions or facts about oneself. */
  decisive: list(`yes | definitely | absolutely | of course | for sure | honestly | my favorite
    | my favourite | i prefer | hot take | unpopular opinion | i'm sure | no doubt`),
  /** Handing the turn back. */
  reciprocal: list(`you? | what about you | how about you | and you? | and yours? | yours?
    | your turn | what about yours | how about yours`),
  openQuestionStarts: list(`what | how | why | which | where | who | when | tell me | is it
    | are you | was it | have you | do you | did you | any | is that | whats | what's | how's`),
  laughter: list(`haha | hahaha | hahah | hah | hehe | lol | lmao | lmfao | rofl | lolol | xd
    | jk`),
  /** Markers of play: teasing, mock drama, games. */
  playful: list(`plot twist | confession | i dare you | fight me | hot take
    | unpopular opinion | red flag | deal breaker | dealbreaker | asking for a friend
    | nice try | no way | to be fair | in my defense | bribe | rematch | for science | pro tip
    | spoiler | officially | suspicious | dramatic | | legendary | secretly`),
  /**
   * Neediness: pleading, reproach for not answering, anxious reassurance-seeking. A user must
   * show one of these; an opener that notices something about the other person is not needy.
   */
  needy: list(`why haven't you | why won't you | reply to me
    | please answer | please reply | pls answer | i miss you | are you mad | are you ignoring
    | ignoring me | did i do something wrong | don't leave | i need you | give me a chance
    | you never reply | you never answer | are you still there | left me on read | ghosting me
    | what did i do | did i say something wrong | please like me | waiting for your reply`),
  /** Pressure: demands and insistence. */
  pressure:
    list(`you have to | come on | right now | just say yes | you better | answer the question
    | stop ignoring | how many times | i insist | don't be boring | you owe me`),
  /** Calm, unhurried phrases. */
  calm: list(`no worries | no rush | all good | take your time | no pressure | whenever
    | totally fine | no problem | that's okay | that's ok | that's fine | fair enough
    | either way`),
  /** Profanity: lowers clarity and warmth; aimed at the reader it is rude. */
  profanity: list(`fuck | fucking | fucked | shit | shitty | damn | crap | bitch | asshole | wtf
    | stfu | bastard | piss | pissed | bullshit`),
  /** Borderline sexual or crude content: RISKY, lowers warmth and tension control. */
  risky: list(`send me pics | send a pic | send me a pic | send nudes | send me nudes
    | nudes | nude | what are you wearing | dtf | horny | sexy | hook up | hookup
    | come over tonight | your body | boobs | tits | dick | sex | naked | slut | whore | fuck you
    | in bed | bend over | booty | thicc | netflix and chill | lingerie`),
  /** BLOCK: threats, sexual coercion, self-harm, slurs. Kept deliberately explicit. */
  blockThreats: list(`kill you | i'll hurt you | i will hurt you | gonna hurt you | i'll beat you
    | i know where you live | you're dead | watch your back | i'll find you | i will find you
    | i'll make you pay | i'll stab | i'll shoot | shoot you | stab you | rape | raping
    | i'll ruin your life | beat you up`),
  blockCoercion: list(`you owe me sex | nudes or | or i'll post | or i'll share | or i'll leak
    | or i'll send | or i will post | or i will share | i'll leak your | i'll share your pics
    | i'll post your pics | you have to sleep with me | you have to have sex
    | whether you want to or not | you can't say no | unless you send`),
  blockSelfHarm: list(`kill myself | killing myself | end my life | want to die | wanna die
    | suicide | suicidal | cut myself | cutting myself | hurt myself | self harm | self-harm
    | no reason to live | better off dead | end it all | don't want to be alive | overdose`),
  blockSlurs: list(`nigger | nigga | faggot | fag | retard | retarded | tranny | chink | spic
    | kike | wetback | gook | raghead | towelhead | coon | dyke | shemale`),
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

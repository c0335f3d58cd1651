/**
 * Scoring throughput: heuristic AiCore + AiScoring over a 20-USER-message session (each answering
 * an AI line, so 40 messages in all). Run with `tsx test/bench/scoring.bench.ts [runs]`.
 * Prints mean and p95 milliseconds per session and sessions per second.
 */
import { performance } from 'node:perf_hooks';
import { analyzeHeuristic } from '../../shared/ai/heuristic/provider.js';
import { scoreSession } from '../../shared/ai/scoring/session.js';
import type { CoreInput } from '../../shared/ai/types.js';

// Written for the bench (not taken from any evaluation file): a mix of strong, weak and
// pressured replies, so every code path is exercised.
const EXCHANGES: [string, string][] = [
  [
    'Hey! How did the move go?',
    'Exhausting but done, the sofa barely fit through the door. How was your weekend?',
  ],
  [
    'There is a tiny cinema near me that shows old films on Sundays',
    "That sounds lovely. Let's go this Sunday, I'll get the popcorn",
  ],
  ['What are you into lately?', 'uh like i dunno, i guess maybe sort of just stuff, you know'],
  [
    'Work was brutal today',
    'Oh no, that sounds draining. Do you want to talk it through, or would a silly story help more?',
  ],
  ['Haha you are kind of charming', "Kind of? I'm framing that compliment 😄"],
  [
    'What kind of food do you like?',
    'so basically i cook most nights and also order in sometimes and then on weekends i go out with friends to different places around town and we try whatever is new which is usually fine but sometimes it is not great honestly',
  ],
  ['I just got a kitten!', 'Congrats! What did you name her? Photos please, right now'],
  ['Sorry, I was away all weekend', 'why havent you texted me??? are you ignoring me'],
  [
    'Any plans for the holidays?',
    'Visiting my parents by the lake, then a lot of board games. You?',
  ],
  ['Tell me something about yourself', 'idk im not that interesting'],
];

function session(): CoreInput {
  const messages: CoreInput['messages'] = [];
  for (let i = 0; i < 20; i++) {
    const [ai, user] = EXCHANGES[i % EXCHANGES.length] ?? ['', ''];
    messages.push({ role: 'AI', content: ai }, { role: 'USER', content: `${user} ${i}` });
  }
  return { mode: 'text', messages };
}

function run(runs: number): void {
  const input = session();
  for (let i = 0; i < 200; i++) scoreSession(analyzeHeuristic(input), {}); // warm-up (JIT)
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    scoreSession(analyzeHeuristic(input), {});
    times.push(performance.now() - t0);
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const p95 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)] ?? 0;
  console.log(`sessions: ${runs} x 20 USER messages (40 messages with AI context)`);
  console.log(`mean ms/session: ${mean.toFixed(3)}`);
  console.log(`p95 ms/session: ${p95.toFixed(3)}`);
  console.log(`ops/sec: ${Math.round((runs / total) * 1000)}`);
}

run(Number(process.argv[2] ?? 2000) || 2000);

/**
 * Scoring throughput: heuristic AiCore + AiScoring over a 20-USER-message session (each answering
 * an AI line, so 40 messages in all). Run with `tsx test/bench/scoring.bench.ts [runs]`.
 * Prints mean and p95 milliseconds per session and sessions per second.
 */
import { performance } from 'node:perf_hooks';
import { analyzeHeuristic } from '../../shared/ai/heuristic/provider.js';
import { scoreSession } from '../../shared/ai/scoring/session.js';
import type { CoreInput } from '../../shared/ai/types.js';

const EXCHANGES: [string, string][] = [
  [
    'Hey! How was your weekend?',
    'Great, I went climbing for the first time and only fell twice. How was yours?',
  ],
  [
    'I love jazz, there is a bar downtown with live sets on Thursdays',
    "That sounds amazing. Let's go this Thursday, I'll grab the first round",
  ],
  ['What do you do for fun?', 'um like i dont know, i guess maybe kind of just stuff, you know'],
  [
    'I had a rough day at work',
    'Sorry to hear that. Want to talk about it, or should I distract you with a ridiculous story?',
  ],
  [
    'Haha you are kind of funny',
    "Kind of? I'll need that in writing before I let it go to my head 😄",
  ],
  [
    'What kind of music are you into?',
    'i listen to a lot of music and i like many different kinds of music because music is something that i think is really important and i like to listen to it when i am driving or working',
  ],
  ['I just adopted a puppy!', "Congrats! What's their name? I need a photo immediately"],
  [
    'Sorry for the late reply, busy week',
    'finally!!! i was waiting all week why didnt you answer me???',
  ],
  [
    'Any plans for the weekend?',
    'Farmers market Saturday morning, then probably a long bike ride. You?',
  ],
  ['Tell me something interesting about you', 'idk im pretty boring'],
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

/**
 * `npm run vectors:cache` (run by postinstall): builds the compact word-vector cache once, so
 * that no server, worker or test process pays the 5 s / 1 GB parse of the original JSON.
 */
import { wordVectors } from './vectors.js';

const started = performance.now();
const { size } = wordVectors();
const ms = Math.round(performance.now() - started);
const rssMb = Math.round(process.memoryUsage().rss / 1e6);
console.log(`word vectors ready: ${size} words in ${ms} ms (rss ${rssMb} MB)`);

/** Public API of the AI module: AiCore (types, metrics, providers) and AiScoring (game layer). */
export * from './types.js';
export * from './metrics.js';
export { analyzeHeuristic, heuristicProvider } from './heuristic/provider.js';
export { HEURISTIC_VERSION } from './heuristic/lexicon.js';
export * from './scoring/index.js';
export {
  evaluatePairs,
  parsePairs,
  formatReport,
  replySession,
  scoreReply,
} from './eval/pairwise.js';
export type { PairCase, PairResult, PairwiseReport } from './eval/pairwise.js';

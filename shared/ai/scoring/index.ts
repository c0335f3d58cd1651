export * from './rarity.js';
export * from './session.js';
export * from './ab.js';
export * from './insights.js';
